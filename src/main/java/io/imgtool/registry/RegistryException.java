package io.imgtool.registry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A registry operation that failed: the HTTP status (0 when no response arrived), the registry's
 * error codes ({@code DENIED}, {@code NAME_UNKNOWN}, ...), and whether trying again can help.
 * Messages say what failed and what to do; they never contain credentials or tokens.
 */
public class RegistryException extends RuntimeException {
  private final int status;
  private final List<String> codes;
  private final boolean retryable;
  private final Duration retryAfter;

  public RegistryException(String message, int status, List<String> codes, boolean retryable) {
    this(message, status, codes, retryable, null);
  }

  public RegistryException(
      String message, int status, List<String> codes, boolean retryable, Duration retryAfter) {
    super(message);
    this.status = status;
    this.codes = List.copyOf(codes);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.codes = List.of();
    this.retryable = false;
    this.retryAfter = null;
  }

  /** The HTTP status, or 0 when the failure happened before a response. */
  public int status() {
    return status;
  }

  public List<String> codes() {
    return codes;
  }

  public boolean hasCode(String code) {
    return codes.contains(code);
  }

  /** True for 408, 429 and 5xx answers: the same request may succeed later. */
  public boolean isRetryable() {
    return retryable;
  }

  /** How long the registry asked us to wait ({@code Retry-After}), if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
