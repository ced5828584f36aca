/**
 * The modelwire Java client: {@link io.modelwire.client.ModelwireClient} (built with
 * {@link io.modelwire.client.ModelwireClient#builder()}) calls models behind the modelwire gateway
 * through the resilience pipeline of docs/semantics.md — cache, coalescing, fallback, retry, breaker,
 * per-attempt timeout — and the option records here configure it.
 *
 * <pre>{@code
 * try (ModelwireClient client = ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").build()) {
 *   Prediction p = client.predict("fraud-score", Map.of("amount", 125.5));
 * }
 * }</pre>
 *
 * <p>Errors are the typed exceptions of {@code io.modelwire.client.errors}; answers other than
 * predictions are the contract's models in {@code io.modelwire.client.generated.model}. Packages
 * under {@code io.modelwire.client.internal} are not API.
 */
package io.modelwire.client;
