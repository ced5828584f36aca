package io.modelwire.client;

import java.time.Duration;

/**
 * How {@code waitForJob} polls; defaults from {@code x-modelwire-policy.jobs}, maximum wait = the
 * client's deadline.
 *
 * <pre>{@code client.waitForJob("fraud-score", id, JobWaitOptions.defaults().withTimeout(Duration.ofMinutes(5))) }</pre>
 *
 * @param timeout longest total wait (null: the client's deadline)
 * @param pollInitialMs first poll delay
 * @param pollMultiplier delay growth
 * @param pollMaxMs delay cap
 */
public record JobWaitOptions(Duration timeout, long pollInitialMs, double pollMultiplier, long pollMaxMs) {
  /**
   * The contract's defaults. {@code JobWaitOptions.defaults()}
   *
   * @return the default wait options
   */
  public static JobWaitOptions defaults() {
    DefaultPolicy p = DefaultPolicy.get();
    return new JobWaitOptions(null, p.jobsPollInitialMs(), p.jobsPollMultiplier(), p.jobsPollMaxMs());
  }

  /**
   * Copy with a maximum wait. {@code .withTimeout(Duration.ofSeconds(30))}
   *
   * @param t the longest total wait, or null for the client's deadline
   * @return the copy
   */
  public JobWaitOptions withTimeout(Duration t) {
    return new JobWaitOptions(t, pollInitialMs, pollMultiplier, pollMaxMs);
  }

  /**
   * Copy with poll delays. {@code .withPoll(10, 1.5, 50)}
   *
   * @param initialMs first poll delay
   * @param multiplier delay growth
   * @param maxMs delay cap
   * @return the copy
   */
  public JobWaitOptions withPoll(long initialMs, double multiplier, long maxMs) {
    return new JobWaitOptions(timeout, initialMs, multiplier, maxMs);
  }
}
