package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One HTTP operation of the contract as the retry loop sends it.
 *
 * <pre>{@code new Operation("POST", "/models/fraud-score/predict", "fraud-score", null, body, true) }</pre>
 *
 * @param method HTTP method
 * @param path path below the base URL, starting with "/"
 * @param model breaker key (null: no breaker, e.g. gateway health)
 * @param version pinned version (sent as X-Model-Version) or null
 * @param body JSON body or null
 * @param idempotencyKey send an Idempotency-Key (POST operations)
 */
public record Operation(String method, String path, String model, String version, ObjectNode body, boolean idempotencyKey) {}
