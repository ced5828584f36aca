package io.modelwire.client.errors;

/**
 * HTTP 422: the input does not match the model's input schema; {@link #errors()} lists the fields ({@code VALIDATION_FAILED}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (ValidationException e) { // show e.errors() to the user
 * }
 * }</pre>
 */
public class ValidationException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new ValidationException(ErrorInfo.of("VALIDATION_FAILED", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public ValidationException(ErrorInfo info) {
    super(info);
  }
}
