package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.Breakers;
import io.modelwire.client.internal.Inputs;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.ResponseLimits;
import io.modelwire.client.internal.TokenSource;
import io.modelwire.client.internal.stages.Answer;
import io.modelwire.client.internal.stages.BreakerStage;
import io.modelwire.client.internal.stages.Call;
import io.modelwire.client.internal.stages.Errors;
import io.modelwire.client.internal.stages.Events;
import io.modelwire.client.internal.stages.Operation;
import io.modelwire.client.internal.stages.Responses;
import io.modelwire.client.internal.stages.SendStage;
import io.modelwire.client.internal.stages.TimeoutStage;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcomes of test/vectors/failures.json, produced by the SDK's own code: HTTP answers through
 * {@link Responses#classify} (what the send stage uses), local events through the stage or check
 * that raises them.
 */
final class FailureOutcomes {
  private FailureOutcomes() {}

  // the contract's limits; max_json_depth is pinned by the vectors file itself
  static final ResponseLimits LIMITS = ResponseLimits.defaults();

  private static final Operation PREDICT = new Operation(Operation.Kind.PREDICT, "POST",
      m -> "/models/" + m + "/predict", c -> null);

  static Object respond(JsonNode r) throws Exception {
    byte[] body = r.has("raw_body") ? r.get("raw_body").asText().getBytes(StandardCharsets.UTF_8)
        : Json.MAPPER.writeValueAsBytes(r.get("body"));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    r.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), List.of(h.getValue().asText())));
    return Responses.classify(new TransportResponse(r.path("status").asInt(), headers, body),
        new Call.Ids("req-1", "4bf92f3577b34da6a3ce929d0e0e4736", "01"), "fraud-score", 0, LIMITS);
  }

  static Object local(String what) {
    VirtualScheduler s = new VirtualScheduler(false);
    Call call = Call.start(new Call.Ids("req-1", "4bf92f3577b34da6a3ce929d0e0e4736", "01"), 10_000, 1_000,
        new AbortSignal()).with(PREDICT, "fraud-score", null, null, null);
    return switch (what) {
      case "timeout" -> failure(send(s, req -> CompletableFuture.failedFuture(new HttpTimeoutException("t"))).proceed(call));
      case "response_too_large" -> {
        byte[] big = new byte[(int) LIMITS.maxBytes() + 1];
        yield failure(send(s, req -> CompletableFuture.completedFuture(new TransportResponse(200, Map.of(), big)))
            .proceed(call));
      }
      case "connection" -> failure(send(s, req -> CompletableFuture.failedFuture(new ConnectException("refused"))).proceed(call));
      case "aborted" -> {
        CompletableFuture<Answer> f = send(s, req -> new CompletableFuture<>()).proceed(call);
        call.signal().abort();
        yield failure(f);
      }
      case "circuit_open" -> {
        Breakers breakers = new Breakers(BreakerOptions.defaults(), s, new Events(e -> {}));
        breakers.get("fraud-score", null).transitionToOpenState();
        yield failure(new BreakerStage(breakers).proceed(call, x -> new CompletableFuture<>()));
      }
      case "deadline_exceeded" -> {
        s.advance(10_000);
        yield failure(new TimeoutStage(s).proceed(call, x -> new CompletableFuture<>()));
      }
      case "invalid_input" -> caught(() -> Inputs.model("Not A Model!"));
      case "input_too_large" -> caught(() -> Inputs.checkSize(Json.MAPPER.valueToTree(Map.of("a", 1)), 2, call));
      default -> throw new IllegalArgumentException("unknown local outcome " + what);
    };
  }

  private static SendStage send(VirtualScheduler s, Transport t) {
    return new SendStage(URI.create("http://127.0.0.1:1/v1"), t, TokenSource.of(Auth.none(), t, s, io.modelwire.client.internal.auth.TokenRequestPolicy.defaults()), s,
        new Events(e -> {}), LIMITS);
  }

  private static ModelwireException failure(CompletableFuture<Answer> f) {
    assertTrue(f.isCompletedExceptionally(), "the stage should have failed at once");
    return Errors.asModelwire(f.handle((a, e) -> e).join());
  }

  private static ModelwireException caught(Runnable r) {
    try {
      r.run();
    } catch (ModelwireException e) {
      return e;
    }
    throw new AssertionError("no error raised");
  }
}
