package io.modelwire.client.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.modelwire.client.DefaultPolicy;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.MalformedResponseException;

/**
 * The response limits of a client (docs/semantics.md, "Response limits"): the largest body read
 * ({@code max_response_bytes}) and the deepest JSON parsed ({@code max_json_depth}). JSON is read by
 * Jackson's streaming parser under {@link StreamReadConstraints}, so a too-deep answer stops the
 * parser at the limit (no recursion, no cost on ordinary answers).
 *
 * <pre>{@code JsonNode env = new ResponseLimits(10 << 20, 100).parse(body); // null: not JSON or too deep }</pre>
 */
public final class ResponseLimits {
  /** Longest number literal accepted (Jackson's default). */
  private static final int MAX_NUMBER_LENGTH = 1000;

  private final long maxBytes;
  private final int maxDepth;
  private final ObjectReader reader;

  /**
   * Creates the limits.
   *
   * @param maxBytes largest body read (decoded bytes)
   * @param maxDepth deepest nesting of arrays and objects parsed
   */
  public ResponseLimits(long maxBytes, int maxDepth) {
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    // a string can never be longer than the body that carries it
    int maxString = (int) Math.min(Integer.MAX_VALUE, Math.max(maxBytes, 1));
    JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(maxDepth).maxStringLength(maxString).maxNumberLength(MAX_NUMBER_LENGTH).build()).build();
    this.reader = new ObjectMapper(factory).reader();
  }

  /** The contract's defaults. {@code ResponseLimits.defaults()} */
  public static ResponseLimits defaults() {
    return new ResponseLimits(DefaultPolicy.get().maxResponseBytes(), DefaultPolicy.get().maxJsonDepth());
  }

  /** Largest body read. {@code limits.maxBytes()} */
  public long maxBytes() {
    return maxBytes;
  }

  /** Deepest JSON parsed. {@code limits.maxDepth()} */
  public int maxDepth() {
    return maxDepth;
  }

  /**
   * The body as a JSON tree, or null when it is empty, not JSON, or beyond the limits.
   *
   * <pre>{@code limits.parse("{\"a\":1}".getBytes(UTF_8)) }</pre>
   *
   * @param body the body bytes
   * @return the tree or null
   */
  public JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) return null;
    try {
      return reader.readTree(body);
    } catch (Exception | StackOverflowError e) {
      return null;
    }
  }

  /**
   * The error of an answer whose body exceeds {@link #maxBytes()}.
   *
   * <pre>{@code throw ResponseLimits.tooLarge(10 << 20, 200, "req-1", traceId); }</pre>
   *
   * @param maxBytes the limit exceeded
   * @param status the answer's status, or null
   * @param requestId request id
   * @param traceId trace id
   * @return the error
   */
  public static MalformedResponseException tooLarge(long maxBytes, Integer status, String requestId, String traceId) {
    return new MalformedResponseException(ErrorInfo.of("RESPONSE_TOO_LARGE",
        "the response body exceeds maxResponseBytes (" + maxBytes + " bytes); raise maxResponseBytes or check the model")
        .status(status).ids(requestId, traceId));
  }
}
