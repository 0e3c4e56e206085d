package io.imgtool.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/** Sizes and ages written the way the Docker CLI writes them (go-units). */
final class Human {
  private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final MathContext SIGNIFICANT = new MathContext(3);

  private Human() {}

  /** Decimal units with three significant digits: {@code 72.8MB}, {@code 5B}. */
  static String size(long bytes) {
    BigDecimal value = BigDecimal.valueOf(bytes);
    int unit = 0;
    // Round before choosing the unit, so 999,999,999 bytes is 1GB rather than 1000MB.
    while (value.round(SIGNIFICANT).compareTo(THOUSAND) >= 0 && unit < UNITS.length - 1) {
      value = value.divide(THOUSAND);
      unit++;
    }
    return value.round(SIGNIFICANT).stripTrailingZeros().toPlainString() + UNITS[unit];
  }

  /** {@code 3 days ago}, {@code About an hour ago}; empty when unknown. */
  static String ago(Instant then, Instant now) {
    if (then == null) {
      return "N/A";
    }
    return duration(Duration.between(then, now)) + " ago";
  }

  static String duration(Duration d) {
    long seconds = d.getSeconds();
    long minutes = d.toMinutes();
    long hours = Math.round(d.toMillis() / 3_600_000.0);
    if (seconds < 1) {
      return "Less than a second";
    } else if (seconds == 1) {
      return "1 second";
    } else if (seconds < 60) {
      return seconds + " seconds";
    } else if (minutes == 1) {
      return "About a minute";
    } else if (minutes < 60) {
      return minutes + " minutes";
    } else if (hours == 1) {
      return "About an hour";
    } else if (hours < 48) {
      return hours + " hours";
    } else if (hours < 24 * 7 * 2) {
      return hours / 24 + " days";
    } else if (hours < 24 * 30 * 2) {
      return hours / 24 / 7 + " weeks";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 / 30 + " months";
    }
    return hours / 24 / 365 + " years";
  }
}
