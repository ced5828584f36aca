package io.modelwire.client.errors;

/**
 * HTTP 503: the model is loading, overloaded or down ({@code MODEL_UNAVAILABLE}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (UnavailableException e) { // configure a fallback model
 * }
 * }</pre>
 */
public class UnavailableException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new UnavailableException(ErrorInfo.of("MODEL_UNAVAILABLE", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public UnavailableException(ErrorInfo info) {
    super(info);
  }
}
