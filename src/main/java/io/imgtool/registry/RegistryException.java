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
  private final boolean permanent;

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
    this.permanent = false;
  }

  public RegistryException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private RegistryException(String message, Throwable cause, boolean permanent) {
    super(message, cause);
    this.status = 0;
    this.codes = List.of();
    this.retryable = false;
    this.retryAfter = null;
    this.permanent = permanent;
  }

  /**
   * A failure that no retry can fix, whatever its cause (an untrusted certificate, a port that
   * speaks plain HTTP): the user must change something first.
   */
  public static RegistryException permanent(String message, Throwable cause) {
    return new RegistryException(message, cause, true);
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

  /** True when trying again cannot help, even if the cause looks like a transient I/O error. */
  public boolean isPermanent() {
    return permanent;
  }

  /** How long the registry asked us to wait ({@code Retry-After}), if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
