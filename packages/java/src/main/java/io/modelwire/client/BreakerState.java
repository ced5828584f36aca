package io.modelwire.client;

/**
 * State of one model's breaker.
 *
 * <pre>{@code if (client.breakerState("fraud-score") == BreakerState.OPEN) …}</pre>
 */
public enum BreakerState {
  /** Calls flow. */
  CLOSED,
  /** Calls fail fast with {@code CircuitOpenException}. */
  OPEN,
  /** One trial call is let through. */
  HALF_OPEN
}
