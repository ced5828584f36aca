package io.modelwire.client.internal.telemetry;

import io.modelwire.client.ModelwireEvent;
import java.util.function.Consumer;

/**
 * The seam between the pipeline and OpenTelemetry (docs/semantics.md, "Telemetry"). The pipeline
 * only sees this interface, {@link CallSpan} and {@link AttemptSpan}; every OpenTelemetry class is
 * behind {@link TelemetryLoader}, which picks {@link NoTelemetry} when the API is not on the
 * classpath or telemetry is off. Nothing here throws: a telemetry failure never changes a call.
 *
 * <pre>{@code CallSpan span = telemetry.startCall("predict", "fraud-score", null, requestId, null); }</pre>
 */
public interface Telemetry {
  /**
   * Starts the call span of one logical call: parent = the explicit traceparent (a remote parent)
   * when valid, else the active context.
   *
   * @param operation snake_case operation name ({@code predict}, {@code health}, …)
   * @param model the model called, or null (gateway operations)
   * @param version pinned version or null
   * @param requestId the call's request id
   * @param traceparent the per-call traceparent option, or null
   * @return the call span ({@link CallSpan#NONE} when nothing records)
   */
  CallSpan startCall(String operation, String model, String version, String requestId, String traceparent);

  /**
   * The listener that turns the client's own events into metrics, or null (no metrics).
   *
   * <pre>{@code Consumer<ModelwireEvent> m = telemetry.metrics(); }</pre>
   *
   * @return the listener or null
   */
  Consumer<ModelwireEvent> metrics();
}
