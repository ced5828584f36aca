/**
 * The typed errors of the modelwire client: every failure is a
 * {@link io.modelwire.client.errors.ModelwireException} subclass with a stable
 * {@link io.modelwire.client.errors.ModelwireException#code() code} (docs/semantics.md, "Errors").
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (RateLimitException e) { retryLater(e.retryAfterMs()); }
 * catch (ModelwireException e) { log.warn("{} (request {})", e.code(), e.requestId()); }
 * }</pre>
 */
package io.modelwire.client.errors;
