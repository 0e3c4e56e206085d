package io.imgtool.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Paths as /proc/self/mountinfo and getfattr print them: bytes, with space, newline, backslash
 * and other awkward bytes written as a backslash and three octal digits.
 */
final class OctalEscapes {
  private OctalEscapes() {}

  /** Decodes {@code text} read as ISO-8859-1 (one char per byte) into the UTF-8 string it spells. */
  static String decode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\\' && isOctal(text, i + 1)) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        bytes.write(text.charAt(i));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctal(String text, int from) {
    if (from + 3 > text.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
