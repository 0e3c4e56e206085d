package io.imgtool.mutate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Go's time.ParseDuration reads them ({@code 30s}, {@code 1m30s},
 * {@code 1.5h}, {@code 300ms}), as HEALTHCHECK flags take them; the result is nanoseconds,
 * which is how Docker stores them in the image config.
 */
final class GoDuration {
  private static final Pattern COMPONENT = Pattern.compile("(\\d*)(?:\\.(\\d*))?([^\\d.]+)");
  private static final Map<String, Long> UNITS = Map.of(
      "ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L, "ms", 1_000_000L,
      "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  private GoDuration() {}

  static long parseNanos(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigInteger total = BigInteger.ZERO;
    Matcher m = COMPONENT.matcher(s);
    int end = 0;
    while (end < s.length() && m.find(end) && m.start() == end) {
      String whole = m.group(1);
      String fraction = m.group(2) == null ? "" : m.group(2);
      Long unit = UNITS.get(m.group(3));
      if (whole.isEmpty() && fraction.isEmpty()) {
        throw invalid(text);
      }
      if (unit == null) {
        throw new IllegalArgumentException("unknown unit \"" + m.group(3) + "\" in duration \"" + text + "\"");
      }
      BigDecimal value = new BigDecimal((whole.isEmpty() ? "0" : whole) + "." + fraction + "0");
      total = total.add(value.multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.DOWN).toBigInteger());
      end = m.end();
    }
    if (end != s.length()) {
      throw s.chars().anyMatch(c -> !Character.isDigit(c) && c != '.') ? invalid(text)
          : new IllegalArgumentException("missing unit in duration \"" + text + "\"");
    }
    if (total.bitLength() > 63) {
      throw invalid(text);
    }
    return negative ? -total.longValue() : total.longValue();
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("invalid duration \"" + text + "\"");
  }
}
