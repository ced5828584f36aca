package io.modelwire.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Raw Jetty HttpClient 12 (async, non-blocking): another well-kept Java client, measured next to
 * java.net.http to see whether the client is what limits the Java numbers (bench/java/compare.sh
 * --jetty true). Not a transport of the SDK.
 *
 * <pre>{@code Compare.Contender c = JettyRaw.create("http://127.0.0.1:PORT/v1"); }</pre>
 */
final class JettyRaw implements Compare.Contender {
  private final HttpClient jetty;
  private final String uri;

  private JettyRaw(HttpClient jetty, String uri) {
    this.jetty = jetty;
    this.uri = uri;
  }

  static JettyRaw create(String url) throws Exception {
    HttpClient jetty = new HttpClient();
    jetty.setMaxConnectionsPerDestination(256);
    jetty.setFollowRedirects(false);
    jetty.start();
    return new JettyRaw(jetty, url + "/models/fraud-score/predict");
  }

  @Override
  public String name() {
    return "raw Jetty HttpClient 12 (async)";
  }

  @Override
  public String kind() {
    return "raw";
  }

  @Override
  public String mode() {
    return "async";
  }

  @Override
  public CompletableFuture<?> callAsync() {
    CompletableFuture<Object> f = new CompletableFuture<>();
    jetty.newRequest(uri).method(HttpMethod.POST).timeout(10, TimeUnit.SECONDS)
        .headers(h -> h.put(HttpHeader.ACCEPT, "application/json"))
        .body(new BytesRequestContent("application/json", Compare.envelope()))
        .send(new BufferingResponseListener() {
          @Override
          public void onComplete(Result result) {
            if (result.isFailed()) {
              f.completeExceptionally(result.getFailure());
              return;
            }
            try {
              if (result.getResponse().getStatus() != 200) throw new IllegalStateException("HTTP " + result.getResponse().getStatus());
              f.complete(Compare.JSON.readTree(getContent()));
            } catch (Exception e) {
              f.completeExceptionally(e);
            }
          }
        });
    return f;
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}
