package io.modelwire.client.errors;

/**
 * HTTP 404: unknown model, version or job ({@code NOT_FOUND}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (NotFoundException e) { // check the model name with listModels()
 * }
 * }</pre>
 */
public class NotFoundException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new NotFoundException(ErrorInfo.of("NOT_FOUND", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public NotFoundException(ErrorInfo info) {
    super(info);
  }
}
