package io.imgtool.registry;

import io.imgtool.image.TransferListener;
import io.imgtool.image.VerifyingInputStream.BlobMismatchException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Runs a step again on transient failures: I/O errors, 408, 429 (after Retry-After), 5xx. */
final class Retry {
  @FunctionalInterface
  interface Step<T> {
    T run() throws IOException;
  }

  private Retry() {}

  static <T> T call(RetryPolicy policy, String step, TransferListener listener, Step<T> body) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return body.run();
      } catch (IOException | RegistryException | UncheckedIOException e) {
        if (attempt >= policy.attempts() || !isTransient(e)) {
          if (e instanceof RegistryException || e instanceof InterruptedIOException) {
            throw e; // the registry's own errors say what failed
          }
          // A failure on the wire ("closed", a refused connection) named with the step that failed.
          Throwable wire = e instanceof UncheckedIOException u ? u.getCause() : e;
          throw new RegistryException(step + " failed: " + RegistryClient.describe(wire) + RegistryClient.hint(wire),
              wire);
        }
        pause(policy, step, listener, attempt, e);
      }
    }
  }

  /**
   * For a request that changes the registry and may be repeated (a manifest PUT): {@code attempts}
   * rounds of {@code attempts} tries, as a blob's requests get (see BlobUpload), so that a path
   * that drops a third of the writes still gets each one through.
   */
  static <T> T write(RetryPolicy policy, String step, TransferListener listener, Step<T> body) throws IOException {
    return call(policy, step, listener, () -> call(policy, step, listener, body));
  }

  /** Reports a retry and waits before it: the registry's Retry-After, else backoff with jitter. */
  static void pause(RetryPolicy policy, String step, TransferListener listener, int attempt, Exception e)
      throws InterruptedIOException {
    Duration delay = delay(policy, attempt, e);
    listener.retrying(step, attempt, delay, RegistryClient.describe(e));
    sleep(delay);
  }

  static boolean isTransient(Exception e) {
    if (e instanceof RegistryException r) {
      if (r.isPermanent()) {
        return false;
      }
      return r.isRetryable() || (r.status() == 0 && r.getCause() instanceof IOException io && isTransient(io));
    }
    if (e instanceof UncheckedIOException u) {
      return isTransient(u.getCause());
    }
    if (e instanceof BlobMismatchException mismatch) {
      // A registry serving other bytes than the digest names serves them again (Docker does not
      // retry a failed verification either); only a body cut short may come whole next time.
      return mismatch.isTruncated();
    }
    // A refused connection means the registry is down or the address is wrong: fail fast.
    return e instanceof IOException && !(e instanceof ConnectException) && !(e instanceof InterruptedIOException);
  }

  static Duration delay(RetryPolicy policy, int attempt, Exception e) {
    if (e instanceof RegistryException r && r.retryAfter().isPresent()) {
      Duration asked = r.retryAfter().get();
      return asked.compareTo(RetryPolicy.MAX_RETRY_AFTER) > 0 ? RetryPolicy.MAX_RETRY_AFTER : asked;
    }
    long initial = policy.initialDelay().toMillis();
    long exponential = initial << Math.min(attempt - 1, 20);
    long capped = Math.min(exponential, policy.maxDelay().toMillis());
    // Full jitter in the upper half keeps parallel workers from retrying in lockstep.
    long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    return Duration.ofMillis(jittered);
  }

  private static void sleep(Duration delay) throws InterruptedIOException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }
}
