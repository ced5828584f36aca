package io.modelwire.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A scripted transport: each request takes the next scripted answer (the last one repeats). */
final class FakeTransport implements Transport {
  private final Deque<Function<TransportRequest, CompletableFuture<TransportResponse>>> script = new ArrayDeque<>();
  private Function<TransportRequest, CompletableFuture<TransportResponse>> last;
  final List<TransportRequest> requests = new ArrayList<>();

  static String envelope(String model, String version, String resultJson) {
    return "{\"status\":\"success\",\"code\":\"OK\",\"message\":\"prediction\",\"request_id\":\"r\",\"trace_id\":\"t\","
        + "\"model\":{\"name\":\"" + model + "\",\"version\":\"" + version + "\"},\"result\":" + resultJson + "}";
  }

  static CompletableFuture<TransportResponse> response(int status, String body, Map<String, String> headers) {
    Map<String, List<String>> h = new java.util.HashMap<>();
    headers.forEach((k, v) -> h.put(k, List.of(v)));
    return CompletableFuture.completedFuture(new TransportResponse(status, h, body.getBytes(StandardCharsets.UTF_8)));
  }

  FakeTransport then(int status, String body) {
    return then(status, body, Map.of());
  }

  FakeTransport then(int status, String body, Map<String, String> headers) {
    return then(req -> response(status, body, headers));
  }

  FakeTransport ok(String resultJson) {
    return then(req -> {
      String model = req.uri().getPath().split("/")[3];
      return response(200, envelope(model, "2", resultJson), Map.of());
    });
  }

  FakeTransport fail(Throwable t) {
    return then(req -> CompletableFuture.failedFuture(t));
  }

  synchronized FakeTransport then(Function<TransportRequest, CompletableFuture<TransportResponse>> answer) {
    script.add(answer);
    return this;
  }

  @Override
  public CompletableFuture<TransportResponse> send(TransportRequest request) {
    Function<TransportRequest, CompletableFuture<TransportResponse>> next;
    synchronized (this) {
      requests.add(request);
      if (!script.isEmpty()) last = script.poll();
      next = last;
    }
    if (next == null) throw new AssertionError("no scripted response for " + request);
    return next.apply(request);
  }

  synchronized int count() {
    return requests.size();
  }

  synchronized List<String> header(String name) {
    List<String> out = new ArrayList<>();
    for (TransportRequest r : requests) out.add(r.headers().get(name));
    return out;
  }

  synchronized List<String> paths() {
    List<String> out = new ArrayList<>();
    for (TransportRequest r : requests) out.add(r.uri().getPath());
    return out;
  }
}
