package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.TransportResponse;

/**
 * A successful 2xx answer: the parsed envelope and the raw response.
 *
 * <pre>{@code reply.envelope().path("result") }</pre>
 *
 * @param envelope parsed JSON envelope (an object)
 * @param response the raw response
 * @param model the model that was called
 */
public record Reply(JsonNode envelope, TransportResponse response, String model) {}
