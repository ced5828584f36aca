package io.modelwire.client.errors;

/**
 * HTTP 409: the job is already in a final state ({@code CONFLICT}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (ConflictException e) { // nothing to cancel
 * }
 * }</pre>
 */
public class ConflictException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new ConflictException(ErrorInfo.of("CONFLICT", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public ConflictException(ErrorInfo info) {
    super(info);
  }
}
