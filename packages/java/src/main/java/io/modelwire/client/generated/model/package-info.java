/**
 * The contract's models (openapi/modelwire.yaml), generated at build time: the answers
 * {@link io.modelwire.client.ModelwireClient} returns besides predictions ({@code Job},
 * {@code ModelInfo}, {@code ModelSummary}, {@code ModelHealth}, {@code Health}) and the types inside
 * them. Enums read a value a newer gateway added as {@code UNKNOWN_DEFAULT_OPEN_API} instead of
 * failing. Treat them as read-only values; the request and envelope models here are what the client
 * sends and unwraps for you.
 */
package io.modelwire.client.generated.model;
