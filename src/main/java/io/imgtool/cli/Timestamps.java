package io.imgtool.cli;

import java.time.Instant;
import java.util.Optional;

/** The creation time of new images: --timestamp, then SOURCE_DATE_EPOCH, then now. */
final class Timestamps {
  private Timestamps() {}

  static Instant created(String timestampOption, Environment environment) {
    return fixed(timestampOption, environment).orElseGet(Instant::now);
  }

  /** The time fixed by --timestamp or SOURCE_DATE_EPOCH, which also clamps new files' mtimes. */
  static Optional<Instant> fixed(String timestampOption, Environment environment) {
    if (timestampOption != null) {
      return Optional.of(epochSeconds(timestampOption, "--timestamp"));
    }
    String epoch = environment.get("SOURCE_DATE_EPOCH");
    return epoch == null ? Optional.empty() : Optional.of(epochSeconds(epoch, "SOURCE_DATE_EPOCH"));
  }

  private static Instant epochSeconds(String text, String source) {
    try {
      long seconds = Long.parseLong(text.strip());
      if (seconds < 0) {
        throw new NumberFormatException();
      }
      return Instant.ofEpochSecond(seconds);
    } catch (NumberFormatException e) {
      throw new UsageException(source + " must be whole seconds since 1970-01-01 UTC, not \"" + text + "\"");
    }
  }
}
