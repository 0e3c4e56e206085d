package io.imgtool.cli;

/** Numeric option values (--jobs, --retries, -n) checked against their range. */
final class Counts {
  private Counts() {}

  /** The value, or fallback when the option was not given; out of range is a usage error. */
  static int check(String option, Integer value, int min, int max, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      throw new UsageException(option + " must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }
}
