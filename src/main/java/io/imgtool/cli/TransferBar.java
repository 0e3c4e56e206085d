package io.imgtool.cli;

import java.time.Duration;

/**
 * Docker's progress text for a blob (moby's jsonmessage): a 50-character bar
 * {@code [=====>      ]} when the line has room, {@code 41.9MB/158MB}, and the time left.
 */
final class TransferBar {
  private static final int BAR = 50;

  private TransferBar() {}

  /**
   * @param room the columns left on the line for the bar and the numbers
   * @param elapsed time since the transfer began, for the time left; null when unknown
   */
  static String of(long current, long total, int room, Duration elapsed) {
    if (total <= 0) {
      return String.format("%8s", Human.size(current));
    }
    int filled = (int) Math.min(BAR, current * BAR / total);
    String numbers = String.format("%8s/%s", Human.size(current), Human.size(total));
    if (current > total) {
      numbers = String.format("%8s", Human.size(current));
    }
    String left = "";
    if (elapsed != null && current > 0 && filled < BAR) {
      long seconds = elapsed.toNanos() / current * (total - current) / 1_000_000_000L;
      left = " " + goDuration(seconds);
    }
    int barWidth = Math.min(BAR, room - numbers.length() - left.length() - 3);
    if (barWidth < 10) {
      return numbers + left;
    }
    int shown = filled * barWidth / BAR;
    return "[" + "=".repeat(shown) + ">" + " ".repeat(Math.max(0, barWidth - shown)) + "] " + numbers + left;
  }

  /** Go's Duration.String for whole seconds: {@code 3s}, {@code 1m5s}, {@code 2h0m0s}. */
  static String goDuration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m" + seconds % 60 + "s";
    }
    return seconds / 3600 + "h" + seconds % 3600 / 60 + "m" + seconds % 60 + "s";
  }
}
