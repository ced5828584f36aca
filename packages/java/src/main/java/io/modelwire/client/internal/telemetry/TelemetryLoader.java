package io.modelwire.client.internal.telemetry;

import java.net.URI;

/**
 * Loads the OpenTelemetry implementation only when {@code io.opentelemetry.api.GlobalOpenTelemetry}
 * is on the classpath (the API is an optional dependency). The implementation class is reached by
 * reflection, so no class that names an OpenTelemetry type is ever loaded without the API.
 *
 * <pre>{@code Telemetry t = TelemetryLoader.load(true, null, baseUrl); }</pre>
 */
public final class TelemetryLoader {
  private static final String API = "io.opentelemetry.api.GlobalOpenTelemetry";
  private static final String IMPLEMENTATION = "io.modelwire.client.internal.telemetry.OtelTelemetry";
  private static final boolean API_PRESENT = present(API);

  private TelemetryLoader() {}

  /**
   * The client's telemetry.
   *
   * @param enabled false: {@code telemetry(false)}, nothing is recorded
   * @param openTelemetry an {@code io.opentelemetry.api.OpenTelemetry} given to the builder, or null
   *     (the global one)
   * @param baseUrl the client's base URL (server.address and server.port of the metrics)
   * @return the telemetry ({@link NoTelemetry} without the API, when off, or when loading failed)
   */
  public static Telemetry load(boolean enabled, Object openTelemetry, URI baseUrl) {
    if (!enabled || !API_PRESENT) return NoTelemetry.INSTANCE;
    try {
      return (Telemetry) Class.forName(IMPLEMENTATION, true, TelemetryLoader.class.getClassLoader())
          .getMethod("create", Object.class, URI.class).invoke(null, openTelemetry, baseUrl);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return NoTelemetry.INSTANCE; // a broken OpenTelemetry installation must not break the client
    }
  }

  /** True when the OpenTelemetry API is on the classpath. {@code TelemetryLoader.apiPresent()} */
  public static boolean apiPresent() {
    return API_PRESENT;
  }

  static boolean present(String className) {
    try {
      Class.forName(className, false, TelemetryLoader.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
