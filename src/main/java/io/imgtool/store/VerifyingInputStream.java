package io.imgtool.store;

import io.imgtool.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes a blob as it is read and, at its end, checks the digest (and size, when known): a
 * corrupted store file is reported instead of silently feeding wrong bytes downstream.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final Digest expected;
  private final long expectedSize;
  private final MessageDigest hash;
  private final String where;
  private long count;
  private boolean checked;

  VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String where) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.hash = Blobs.newHash(expected.algorithm());
    this.where = where;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      verify();
    } else {
      hash.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n < 0) {
      verify();
    } else {
      hash.update(buffer, offset, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed.
    byte[] buffer = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() {
    if (checked) {
      return;
    }
    checked = true;
    if (expectedSize >= 0 && count != expectedSize) {
      throw Blobs.corrupt(expected, where, count + " bytes instead of " + expectedSize);
    }
    Digest actual = new Digest(expected.algorithm(), java.util.HexFormat.of().formatHex(hash.digest()));
    if (!actual.equals(expected)) {
      throw Blobs.corrupt(expected, where, "its content hashes to " + actual);
    }
  }
}
