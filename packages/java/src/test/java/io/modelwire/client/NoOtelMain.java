package io.modelwire.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link OptionalOpenTelemetryTest} in a JVM whose classpath has the SDK and its non-OpenTelemetry
 * dependencies only: a predict call works (telemetry on by default), events still flow and one
 * traceparent is sent. Names no OpenTelemetry class. Prints {@code RESULT ok} or the problems.
 */
public final class NoOtelMain {
  private NoOtelMain() {}

  public static void main(String[] args) throws Exception {
    List<String> problems = new ArrayList<>();
    try {
      Class.forName("io.opentelemetry.api.GlobalOpenTelemetry");
      problems.add("the OpenTelemetry API is on the classpath");
    } catch (ClassNotFoundException expected) {
      // the point of this run
    }
    List<ModelwireEvent> events = new ArrayList<>();
    try (LoopbackGateway gw = new LoopbackGateway();
        ModelwireClient c = ModelwireClient.builder().baseUrl(gw.baseUrl()).telemetry(true).onEvent(events::add)
            .cache(CacheOptions.disabled()).build()) {
      Prediction p = c.predict("fraud-score", Map.of("amount", 1));
      System.out.println("label=" + p.result().path("label").asText() + " traceparents=" + gw.traceparents
          + " events=" + events.stream().map(e -> e.type().name()).toList());
      if (!"legit".equals(p.result().path("label").asText())) problems.add("unexpected answer " + p.result());
      if (gw.traceparents.size() != 1 || gw.traceparents.get(0).size() != 1) problems.add("not one traceparent: " + gw.traceparents);
      if (events.isEmpty() || events.get(events.size() - 1).type() != ModelwireEvent.Type.CALL_END) problems.add("no call_end");
    }
    System.out.println(problems.isEmpty() ? "RESULT ok" : "RESULT " + problems);
    System.exit(problems.isEmpty() ? 0 : 1);
  }
}
