package io.modelwire.client;

/**
 * Says that a backup model answered.
 *
 * <pre>{@code if (p.fallback() != null) log.info("served by {}", p.fallback().to()); }</pre>
 *
 * @param from the primary model
 * @param to the backup model
 * @param reason {@code circuit_open} or {@code retries_exhausted}
 */
public record Fallback(String from, String to, String reason) {}
