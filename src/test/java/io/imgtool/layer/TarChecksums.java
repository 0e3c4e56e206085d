package io.imgtool.layer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rewrites the checksum of every header a tar reader would reach, walking the blocks by the size
 * fields: a fuzzer's mutation of a header field then reaches the field's parser instead of
 * failing the checksum test every time.
 */
final class TarChecksums {
  private static final int BLOCK = TarHeaderReader.BLOCK;

  private TarChecksums() {}

  /** A copy of {@code tar} with its headers' checksums made right, as far as they can be found. */
  static byte[] fixed(byte[] tar) {
    byte[] copy = tar.clone();
    int at = 0;
    while (at + BLOCK <= copy.length) {
      if (isZero(copy, at)) {
        at += BLOCK;
        continue;
      }
      fix(copy, at);
      long size = octal(copy, at + 124, 12);
      if (size < 0 || size > copy.length) {
        break;
      }
      at += BLOCK + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
    }
    return copy;
  }

  static void fix(byte[] tar, int at) {
    Arrays.fill(tar, at + 148, at + 156, (byte) ' ');
    long sum = 0;
    for (int i = at; i < at + BLOCK; i++) {
      sum += tar[i] & 0xff;
    }
    byte[] octal = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(octal, 0, tar, at + 148, 8);
  }

  /** An octal field, or -1 when it is not one (base-256 sizes included: the walk stops there). */
  private static long octal(byte[] tar, int offset, int length) {
    long value = 0;
    for (int i = offset; i < offset + length && tar[i] != 0 && tar[i] != ' '; i++) {
      if (tar[i] < '0' || tar[i] > '7') {
        return -1;
      }
      value = value << 3 | tar[i] - '0';
    }
    return value;
  }

  private static boolean isZero(byte[] tar, int at) {
    for (int i = at; i < at + BLOCK; i++) {
      if (tar[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
