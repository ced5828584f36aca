package io.modelwire.client.errors;

/**
 * The total deadline of the call was hit; {@link #getCause()} is the last error ({@code DEADLINE_EXCEEDED}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (DeadlineExceededException e) { // raise deadline or check the model
 * }
 * }</pre>
 */
public class DeadlineExceededException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new DeadlineExceededException(ErrorInfo.of("DEADLINE_EXCEEDED", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public DeadlineExceededException(ErrorInfo info) {
    super(info);
  }
}
