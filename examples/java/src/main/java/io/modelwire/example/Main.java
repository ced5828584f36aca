package io.modelwire.example;

import io.modelwire.client.Auth;
import io.modelwire.client.CallOptions;
import io.modelwire.client.ModelwireClient;
import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.Prediction;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.ValidationException;
import io.modelwire.client.generated.model.Job;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Quickstart: a prediction, the same one from the cache, an async call, a job, and typed errors.
 *
 * <pre>{@code MODELWIRE_URL=http://127.0.0.1:4010/v1 examples/java/run.sh }</pre>
 */
public final class Main {
  private Main() {}

  /**
   * Runs the quickstart against MODELWIRE_URL (default: a local mock server).
   *
   * <pre>{@code Main.main(new String[0]) }</pre>
   *
   * @param args unused
   */
  public static void main(String[] args) {
    String url = System.getenv().getOrDefault("MODELWIRE_URL", "http://127.0.0.1:4010/v1");
    String token = System.getenv("MODELWIRE_TOKEN");
    try (ModelwireClient client = ModelwireClient.builder()
        .baseUrl(url)
        .auth(token == null ? Auth.none() : Auth.token(token))
        .fallback("fraud-score", "fraud-score-backup")
        .timeout(Duration.ofSeconds(2))
        .onEvent(e -> {
          if (e.type() == ModelwireEvent.Type.RETRY) System.out.println("  retrying " + e.model() + " after " + e.delayMs() + " ms");
        })
        .build()) {
      Map<String, Object> order = Map.of("amount", 129.5, "country", "FR", "card_present", false);

      Prediction p = client.predict("fraud-score", order);
      System.out.printf("fraud-score %s -> %s (confidence %s, low=%s, request %s)%n",
          p.model().version(), p.result(), p.confidence(), p.lowConfidence(), p.requestId());

      Prediction again = client.predict("fraud-score", order);
      System.out.println("same input again: cached=" + again.cached());

      CompletableFuture<Prediction> async = client.predictAsync("fraud-score", Map.of("amount", 9000, "country", "US"),
          CallOptions.builder().cache(false).build());
      System.out.println("async: " + async.join().result());

      Job job = client.submitJob("fraud-score", order);
      Job done = client.waitForJob("fraud-score", job.getJobId());
      System.out.println("job " + done.getJobId() + " " + done.getState());

      try {
        client.predict("fraud-score", Map.of("amount", "not a number"));
      } catch (ValidationException e) {
        System.out.println("validation failed: " + e.errors());
      }
    } catch (ModelwireException e) {
      System.err.println(e.code() + " (HTTP " + e.httpStatus() + "): " + e.getMessage());
      System.exit(1);
    }
  }
}
