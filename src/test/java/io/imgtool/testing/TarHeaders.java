package io.imgtool.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Edits of a tar's headers in place, as a corrupted download or a hand-edited archive has them. */
public final class TarHeaders {
  private static final int MODE = 100;
  private static final int CHECKSUM = 148;

  private TarHeaders() {}

  /** A copy whose header for {@code name} has its mode's lowest bit flipped, checksum unchanged. */
  public static byte[] flipModeBit(byte[] tar, String name) {
    byte[] copy = tar.clone();
    copy[header(copy, name) + MODE + 6] ^= 1; // the last octal digit of "0000644"
    return copy;
  }

  /**
   * A copy whose header for {@code name} (which should hold a byte above 127) carries the sum of
   * its bytes as signed values, as Sun's and other old tars computed it; GNU tar accepts both.
   */
  public static byte[] withSignedChecksum(byte[] tar, String name) {
    byte[] copy = tar.clone();
    int at = header(copy, name);
    Arrays.fill(copy, at + CHECKSUM, at + CHECKSUM + 8, (byte) ' ');
    long signed = 0;
    long unsigned = 0;
    for (int i = 0; i < 512; i++) {
      signed += copy[at + i];
      unsigned += copy[at + i] & 0xff;
    }
    if (signed == unsigned) {
      throw new IllegalArgumentException("the header of " + name + " has no byte above 127");
    }
    byte[] field = String.format("%06o\0 ", signed).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(field, 0, copy, at + CHECKSUM, 8);
    return copy;
  }

  /** The offset of the header whose name field is {@code name}. */
  private static int header(byte[] tar, String name) {
    byte[] wanted = Arrays.copyOf(name.getBytes(StandardCharsets.UTF_8), name.getBytes(StandardCharsets.UTF_8).length + 1);
    for (int at = 0; at + 512 <= tar.length; at += 512) {
      if (Arrays.equals(tar, at, at + wanted.length, wanted, 0, wanted.length)) {
        return at;
      }
    }
    throw new IllegalArgumentException("no header named " + name);
  }
}
