package io.modelwire.client.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.TransportResponse;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.ErrorMapper;
import io.modelwire.client.internal.ResponseLimits;

/**
 * Classifies an HTTP answer (status + headers + body bytes): a 2xx that is the contract's envelope
 * ({@code status} "success" and an object {@code result}, for every operation) is an {@link Answer}; anything else is
 * the typed error it stands for (docs/semantics.md, "Failure table", "Response limits"). The send
 * stage and the failure-table vectors both use this one function.
 *
 * <pre>{@code Object outcome = Responses.classify(res, ids, "fraud-score", now, limits); }</pre>
 */
public final class Responses {
  private Responses() {}

  /**
   * The answer or the error.
   *
   * @param res the HTTP answer
   * @param ids the ids the request carried
   * @param model the model asked (recorded on the answer), or null
   * @param nowMs wall clock (for an HTTP-date Retry-After)
   * @param limits the response limits (body size, JSON depth)
   * @return an {@link Answer} or a {@link ModelwireException}
   */
  public static Object classify(TransportResponse res, Call.Ids ids, String model, long nowMs, ResponseLimits limits) {
    int s = res.status();
    // a custom transport may hand over more than the limit: the limit holds whatever read the body
    if (res.body().length > limits.maxBytes()) {
      return ResponseLimits.tooLarge(limits.maxBytes(), s, ids.requestId(), ids.traceId());
    }
    if (s < 200 || s >= 300) {
      return ErrorMapper.fromStatus(s, limits.parse(res.body()), res.header("Retry-After"), ids.requestId(),
          ids.traceId(), nowMs);
    }
    JsonNode env = limits.parse(res.body());
    String wrong = envelopeProblem(env);
    if (wrong != null) {
      return new MalformedResponseException(ErrorInfo.of("MALFORMED_RESPONSE",
          "HTTP " + s + " answer is not the contract's envelope (" + wrong
              + "); check that baseUrl points at a modelwire gateway")
          .status(s).ids(ids.requestId(), ids.traceId()));
    }
    return new Answer(env, res.header("X-Model-Version"), model, ids, false, false, null, 0);
  }

  /**
   * What keeps a parsed 2xx body from being a success envelope, or null when it is one (tolerant
   * reader, docs/semantics.md "Answers the SDKs refuse"): {@code status} exactly {@code "success"}
   * and {@code result} an object; {@code code} and unknown fields are not checked. The text names
   * the problem only — never the body's content.
   *
   * <pre>{@code Responses.envelopeProblem(Json.MAPPER.readTree("{\"status\":\"error\",\"result\":{}}")) }</pre>
   *
   * @param env the parsed body (null when it was empty)
   * @return the problem, or null
   */
  static String envelopeProblem(JsonNode env) {
    if (env == null || !env.isObject()) return "the body is not a JSON object";
    JsonNode status = env.path("status");
    // "error", 1, "SUCCESS" or none: a 2xx that does not say success is not one
    if (!status.isTextual() || !status.textValue().equals("success")) return "its status is not \"success\"";
    // every result in the contract is an object; an array, string or null is not the envelope
    if (!env.path("result").isObject()) return "the answer's result is not an object";
    return null;
  }
}
