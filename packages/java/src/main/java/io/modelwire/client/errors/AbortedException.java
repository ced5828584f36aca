package io.modelwire.client.errors;

/**
 * The caller aborted the call (signal or future cancelled) ({@code ABORTED}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (AbortedException e) { // nothing: the caller asked for it
 * }
 * }</pre>
 */
public class AbortedException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new AbortedException(ErrorInfo.of("ABORTED", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public AbortedException(ErrorInfo info) {
    super(info);
  }
}
