package io.modelwire.client.errors;

/**
 * Bad input (NaN or Infinity in data) or bad options ({@code INVALID_INPUT} / {@code INVALID_OPTIONS}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (InvalidInputException e) { // fix the input or the builder options
 * }
 * }</pre>
 */
public class InvalidInputException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new InvalidInputException(ErrorInfo.of("INVALID_INPUT", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public InvalidInputException(ErrorInfo info) {
    super(info);
  }
}
