package io.modelwire.client.internal.auth;

import io.modelwire.client.ClientOptions;
import io.modelwire.client.DefaultPolicy;
import java.util.function.DoubleSupplier;

/**
 * The numbers an OIDC token source works by: the contract's refresh skew and failure pauses, and
 * from the client's options the token request's timeout ({@code timeout}, like an attempt's), the
 * retry jitter and the random source.
 *
 * <pre>{@code TokenRequestPolicy.of(clientOptions).newPause() }</pre>
 *
 * @param refreshSkewMs a token is due this long before it expires (at most half its lifetime)
 * @param timeoutMs bound of one token request (headers and body)
 * @param failureBackoffInitialMs pause after the first failed token request
 * @param failureBackoffMaxMs longest pause
 * @param fullJitter pauses drawn from their upper half (retry jitter {@code full}) or exact
 * @param random uniform source in [0, 1)
 */
public record TokenRequestPolicy(long refreshSkewMs, long timeoutMs, long failureBackoffInitialMs,
    long failureBackoffMaxMs, boolean fullJitter, DoubleSupplier random) {

  /**
   * The policy of a client.
   *
   * <pre>{@code TokenRequestPolicy.of(options) }</pre>
   *
   * @param o the client's options
   * @return the policy
   */
  public static TokenRequestPolicy of(ClientOptions o) {
    DefaultPolicy p = DefaultPolicy.get();
    return new TokenRequestPolicy(p.tokenRefreshSkewMs(), Math.max(1, o.timeout().toMillis()),
        p.tokenFailureBackoffInitialMs(), p.tokenFailureBackoffMaxMs(), o.retry().fullJitter(), o.random());
  }

  /**
   * The contract's defaults (tests and tools that have no client).
   *
   * <pre>{@code TokenRequestPolicy.defaults() }</pre>
   *
   * @return the policy
   */
  public static TokenRequestPolicy defaults() {
    DefaultPolicy p = DefaultPolicy.get();
    return new TokenRequestPolicy(p.tokenRefreshSkewMs(), p.timeoutMs(), p.tokenFailureBackoffInitialMs(),
        p.tokenFailureBackoffMaxMs(), "full".equals(p.jitter()), Math::random);
  }

  /** A fresh failure pause for one token source. {@code policy.newPause()} */
  public FailurePause newPause() {
    return new FailurePause(failureBackoffInitialMs, failureBackoffMaxMs, fullJitter, random);
  }
}
