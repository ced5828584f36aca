package io.modelwire.client.internal.stages;

import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.NotFoundException;
import io.modelwire.client.internal.RedactedUrl;
import java.net.URI;

/**
 * Says what to fix when a 404 comes from a base URL without the API's {@code /v1} prefix
 * (docs/semantics.md, "Errors"): the gateway answers, but no route matches.
 *
 * <pre>{@code ModelwireException e = BaseUrlHint.apply(URI.create("http://gw:4010"), notFound); // message mentions /v1 }</pre>
 */
public final class BaseUrlHint {
  private BaseUrlHint() {}

  /**
   * The error, with the hint when it is a NotFound and the base URL's path does not end in /v1.
   *
   * @param baseUrl the client's base URL
   * @param e the error
   * @return {@code e}, or a NotFound that mentions /v1
   */
  public static ModelwireException apply(URI baseUrl, ModelwireException e) {
    String path = baseUrl.getPath() == null ? "" : baseUrl.getPath();
    if (!(e instanceof NotFoundException) || path.endsWith("/v1")) return e;
    // named without credentials (docs/semantics.md, "Errors")
    String shown = RedactedUrl.of(baseUrl);
    String hint = e.getMessage() + "; the API lives under /v1: is baseUrl (" + shown + ") missing it? e.g. "
        + shown.replaceAll("/+$", "") + "/v1";
    return new NotFoundException(new ErrorInfo(e.code(), hint, e.httpStatus(), e.requestId(), e.traceId(), e.errors(),
        e.retryAfterMs(), e.attempts(), e.getCause()));
  }
}
