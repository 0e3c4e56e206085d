package io.imgtool.registry;

import java.time.Duration;

/**
 * How long imgtool waits for a registry, so that no answer can hold a command without output:
 * {@code idle}, the longest silence while an answer is awaited or read (no byte for that long is a
 * retryable failure naming the registry); {@code read}, the most a small answer (manifest, index,
 * token, config, tag page) may take as a whole, headers and body, so a trickle cannot hold it
 * either. Blobs have no whole-read limit: they may be large and the network slow.
 */
public record Timeouts(Duration idle, Duration read) {
  public static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_READ = Duration.ofSeconds(60);

  public Timeouts {
    if (idle.isNegative() || idle.isZero() || read.isNegative() || read.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  public static Timeouts defaults() {
    return new Timeouts(DEFAULT_IDLE, DEFAULT_READ);
  }

  /** "2 s", "1.5 s", as messages and settings write durations. */
  static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return (millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0)) + " s";
  }
}
