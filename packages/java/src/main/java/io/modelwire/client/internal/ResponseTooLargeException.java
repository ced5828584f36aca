package io.modelwire.client.internal;

import java.io.IOException;

/**
 * Raised inside the transport when a response body exceeds {@code max_response_bytes} (announced by
 * Content-Length or counted while reading); the send stage turns it into {@code
 * MalformedResponseException} with code RESPONSE_TOO_LARGE ({@link ErrorMapper#fromTransport}).
 *
 * <pre>{@code throw new ResponseTooLargeException(200, 10 << 20); }</pre>
 */
public final class ResponseTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The answer's status. */
  private final int status;

  /** The limit exceeded. */
  private final long maxBytes;

  /**
   * Creates the failure.
   *
   * @param status the answer's status
   * @param maxBytes the limit exceeded
   */
  public ResponseTooLargeException(int status, long maxBytes) {
    super("response body above " + maxBytes + " bytes");
    this.status = status;
    this.maxBytes = maxBytes;
  }

  /** The answer's status. {@code e.status()} */
  public int status() {
    return status;
  }

  /** The limit exceeded. {@code e.maxBytes()} */
  public long maxBytes() {
    return maxBytes;
  }
}
