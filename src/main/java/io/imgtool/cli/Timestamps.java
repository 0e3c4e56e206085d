package io.imgtool.cli;

import java.time.Instant;

/** The creation time of new images: --timestamp, then SOURCE_DATE_EPOCH, then now. */
final class Timestamps {
  private Timestamps() {}

  static Instant created(String timestampOption, Environment environment) {
    if (timestampOption != null) {
      return epochSeconds(timestampOption, "--timestamp");
    }
    String epoch = environment.get("SOURCE_DATE_EPOCH");
    if (epoch != null) {
      return epochSeconds(epoch, "SOURCE_DATE_EPOCH");
    }
    return Instant.now();
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
