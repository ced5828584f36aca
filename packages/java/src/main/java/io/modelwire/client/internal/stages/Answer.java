package io.modelwire.client.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.Fallback;

/**
 * A 2xx success envelope plus what the pipeline learnt on the way to it.
 *
 * <pre>{@code answer.envelope().path("result") }</pre>
 *
 * @param envelope the parsed envelope (an object with {@code result})
 * @param servedVersion the {@code X-Model-Version} response header or null
 * @param model the model that answered (the backup after a fallback), or null
 * @param ids the ids of the request the server saw
 * @param cached served from the cache
 * @param stale an expired entry served by stale-if-error
 * @param fallback how a fallback came about, or null
 * @param attempts HTTP attempts of the logical call
 */
public record Answer(JsonNode envelope, String servedVersion, String model, Call.Ids ids, boolean cached,
    boolean stale, Fallback fallback, int attempts) {

  /** A copy as served from the cache. {@code answer.fromCache(false, 0)} */
  public Answer fromCache(boolean isStale, int attemptCount) {
    return new Answer(envelope, servedVersion, model, ids, true, isStale, null, attemptCount);
  }

  /** A copy marked as the backup's answer. {@code answer.viaFallback(fb)} */
  public Answer viaFallback(Fallback fb) {
    return new Answer(envelope, servedVersion, model, ids, cached, stale, fb, attempts);
  }

  /** A copy with the call's attempt count. {@code answer.withAttempts(2)} */
  public Answer withAttempts(int n) {
    return new Answer(envelope, servedVersion, model, ids, cached, stale, fallback, n);
  }
}
