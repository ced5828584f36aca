package io.modelwire.client.errors;

/**
 * The breaker of this model is open: the call failed fast without touching the network ({@code CIRCUIT_OPEN}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (CircuitOpenException e) { // wait for the reset timeout or configure a fallback
 * }
 * }</pre>
 */
public class CircuitOpenException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new CircuitOpenException(ErrorInfo.of("CIRCUIT_OPEN", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public CircuitOpenException(ErrorInfo info) {
    super(info);
  }
}
