package io.modelwire.client.internal.telemetry;

import io.modelwire.client.ModelwireEvent;
import java.util.function.Consumer;

/**
 * Telemetry when the OpenTelemetry API is absent or {@code telemetry(false)}: no span, no metric,
 * no allocation per call (the one shared {@link CallSpan#NONE}).
 *
 * <pre>{@code Telemetry t = NoTelemetry.INSTANCE; }</pre>
 */
public final class NoTelemetry implements Telemetry {
  /** The one instance. */
  public static final NoTelemetry INSTANCE = new NoTelemetry();

  private NoTelemetry() {}

  @Override
  public CallSpan startCall(String operation, String model, String version, String requestId, String traceparent) {
    return CallSpan.NONE;
  }

  @Override
  public Consumer<ModelwireEvent> metrics() {
    return null;
  }
}
