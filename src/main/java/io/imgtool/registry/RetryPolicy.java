package io.imgtool.registry;

import java.time.Duration;

/**
 * How often and how patiently a step is retried: exponential backoff from {@code initialDelay}
 * up to {@code maxDelay}, with jitter, at most {@code attempts} tries in all.
 */
public record RetryPolicy(int attempts, Duration initialDelay, Duration maxDelay) {
  /** A registry's Retry-After is honoured, but never beyond this. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("retry attempts must be at least 1");
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(20));
  }

  /** {@code retries} retries after the first try, with the default delays. */
  public static RetryPolicy withRetries(int retries) {
    RetryPolicy d = defaults();
    return new RetryPolicy(retries + 1, d.initialDelay, d.maxDelay);
  }
}
