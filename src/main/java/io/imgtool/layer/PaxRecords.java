package io.imgtool.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The body of a PAX extended header: records "LENGTH KEY=VALUE\n" whose decimal length counts the
 * whole record, itself included. Values are kept as raw bytes: xattr values are binary, and a
 * UTF-8 round trip would turn 0xff into U+FFFD.
 */
final class PaxRecords {
  /** Receives each record of a parsed body, in order; an empty value deletes the key. */
  interface Consumer {
    void accept(String key, byte[] value) throws IOException;
  }

  private PaxRecords() {}

  /** Appends one record, its length computed as Go's formatPAXRecord does. */
  static void append(ByteArrayOutputStream body, byte[] key, byte[] value) {
    int size = key.length + value.length + 3; // ' ', '=' and '\n'
    size += Integer.toString(size).length();
    if (Integer.toString(size).length() + key.length + value.length + 3 != size) {
      size++; // the length gained a digit by counting itself
    }
    body.writeBytes(Integer.toString(size).getBytes(StandardCharsets.US_ASCII));
    body.write(' ');
    body.writeBytes(key);
    body.write('=');
    body.writeBytes(value);
    body.write('\n');
  }

  /** Parses a whole body; anything that is not a well-formed record is an IOException. */
  static void parse(byte[] body, int length, Consumer consumer) throws IOException {
    int at = 0;
    while (at < length) {
      at = parseRecord(body, at, length, consumer);
    }
  }

  private static int parseRecord(byte[] body, int start, int end, Consumer consumer) throws IOException {
    int space = start;
    long size = 0;
    for (; space < end && body[space] != ' '; space++) {
      int digit = body[space] - '0';
      if (digit < 0 || digit > 9) {
        throw malformed("a record length that is not a decimal number");
      }
      size = Math.min(size * 10 + digit, Integer.MAX_VALUE); // too long either way; no overflow
    }
    if (space == start || space == end) {
      throw malformed("a record without its length");
    }
    long recordEnd = start + size;
    if (recordEnd > end || recordEnd <= space + 1 || body[(int) recordEnd - 1] != '\n') {
      throw malformed("a record whose length does not end at a newline");
    }
    int equals = indexOf(body, (byte) '=', space + 1, (int) recordEnd - 1);
    if (equals <= space + 1) {
      throw malformed("a record without KEY=");
    }
    String key = new String(body, space + 1, equals - space - 1, StandardCharsets.UTF_8);
    if (key.indexOf('\0') >= 0) {
      throw malformed("a key containing NUL");
    }
    consumer.accept(key, Arrays.copyOfRange(body, equals + 1, (int) recordEnd - 1));
    return (int) recordEnd;
  }

  private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static IOException malformed(String what) {
    return new IOException("malformed PAX header: " + what);
  }
}
