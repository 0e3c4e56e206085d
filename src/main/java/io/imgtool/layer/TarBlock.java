package io.imgtool.layer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One 512-byte USTAR header block, its fields formatted as Go's archive/tar formats them:
 * octal numbers zero-padded with a trailing NUL, strings NUL-terminated when shorter than
 * their field, the checksum as six octal digits, NUL and space.
 */
final class TarBlock {
  static final int SIZE = 512;

  /** The USTAR fields: offset and length in the block. */
  enum Field {
    NAME(0, 100), MODE(100, 8), UID(108, 8), GID(116, 8), SIZE(124, 12), MTIME(136, 12),
    CHECKSUM(148, 8), TYPEFLAG(156, 1), LINKNAME(157, 100), MAGIC(257, 6), VERSION(263, 2),
    UNAME(265, 32), GNAME(297, 32), DEVMAJOR(329, 8), DEVMINOR(337, 8), PREFIX(345, 155);

    final int offset;
    final int length;

    Field(int offset, int length) {
      this.offset = offset;
      this.length = length;
    }
  }

  private final byte[] bytes = new byte[SIZE];

  /** Whether the field holds the value in octal digits, leaving room for the NUL. */
  static boolean fitsOctal(Field field, long value) {
    return value >= 0 && (field.length >= 22 || value < 1L << (3 * (field.length - 1)));
  }

  /**
   * Copies the ASCII string into the field, cut at its length. Like Go, a cut that would leave
   * a trailing slash ends the field before the slash: some readers take it for a directory.
   */
  TarBlock string(Field field, String ascii) {
    byte[] value = ascii.getBytes(StandardCharsets.US_ASCII);
    int n = Math.min(value.length, field.length);
    System.arraycopy(value, 0, bytes, field.offset, n);
    if (n < field.length) {
      bytes[field.offset + n] = 0;
    } else if (value.length > n && value[n - 1] == '/') {
      int end = n - 1;
      while (end > 0 && value[end - 1] == '/') {
        end--;
      }
      bytes[field.offset + end] = 0;
    }
    return this;
  }

  /** Octal digits with a trailing NUL; a value that does not fit is written as 0, as Go does. */
  TarBlock octal(Field field, long value) {
    String digits = Long.toOctalString(fitsOctal(field, value) ? value : 0);
    String padded = "0".repeat(Math.max(0, field.length - 1 - digits.length())) + digits;
    return string(field, padded);
  }

  /** Octal when it fits, else GNU base-256: big-endian two's complement, high bit set. */
  TarBlock numeric(Field field, long value) {
    if (fitsOctal(field, value)) {
      return octal(field, value);
    }
    for (int i = field.length - 1; i >= 0; i--, value >>= 8) {
      bytes[field.offset + i] = (byte) value;
    }
    bytes[field.offset] |= (byte) 0x80;
    return this;
  }

  TarBlock typeflag(byte type) {
    bytes[Field.TYPEFLAG.offset] = type;
    return this;
  }

  /** Sets the USTAR magic (PAX uses it too) and the checksum, and returns the block's bytes. */
  byte[] finish() {
    string(Field.MAGIC, "ustar");
    string(Field.VERSION, "00");
    Arrays.fill(bytes, Field.CHECKSUM.offset, Field.CHECKSUM.offset + Field.CHECKSUM.length, (byte) ' ');
    long sum = 0;
    for (byte b : bytes) {
      sum += b & 0xff;
    }
    String digits = Long.toOctalString(sum);
    System.arraycopy(("000000".substring(digits.length()) + digits).getBytes(StandardCharsets.US_ASCII), 0,
        bytes, Field.CHECKSUM.offset, 6);
    bytes[Field.CHECKSUM.offset + 6] = 0;
    bytes[Field.CHECKSUM.offset + 7] = ' ';
    return bytes;
  }
}
