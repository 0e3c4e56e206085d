package io.imgtool.mutate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as Docker writes them in image configs: Go's RFC 3339 with nanoseconds, in UTC. */
final class Timestamps {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** {@code 2026-11-29T02:26:34.1234Z}: trailing zeros of the fraction dropped, none for 0. */
  static String rfc3339Nano(Instant time) {
    String seconds = SECONDS.format(time);
    if (time.getNano() == 0) {
      return seconds + "Z";
    }
    String fraction = String.format("%09d", time.getNano()).replaceFirst("0+$", "");
    return seconds + "." + fraction + "Z";
  }
}
