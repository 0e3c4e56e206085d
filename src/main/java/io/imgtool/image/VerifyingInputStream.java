package io.imgtool.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Passes a blob's bytes through while hashing and counting them, and throws
 * {@link BlobMismatchException} at the end (or as soon as there are too many bytes) unless digest
 * and size match. A reader that keeps what it copied only when no exception came therefore never
 * keeps a corrupt blob, whether it comes from a registry, the store or an archive.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final Digest expected;
  private final long expectedSize;
  private final String what;
  private final LongConsumer progress;
  private final MessageDigest hash;
  private long count;
  private boolean verified;

  /**
   * @param expectedSize the size in bytes, or negative when unknown
   * @param what names the blob in messages, e.g. "blob sha256:… from registry.example/repo"
   * @param progress receives the byte count after each read
   */
  public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what,
      LongConsumer progress) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.what = what;
    this.progress = progress;
    this.hash = expected.newHash();
  }

  public VerifyingInputStream(InputStream in, Descriptor expected, String what) {
    this(in, expected.digest(), expected.size(), what, n -> { });
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n < 0) {
      verify();
      return -1;
    }
    hash.update(buffer, offset, n);
    count += n;
    if (expectedSize >= 0 && count > expectedSize) {
      throw new BlobMismatchException(what + " is longer than the " + expectedSize + " bytes declared");
    }
    progress.accept(count);
    return n;
  }

  /** Skipped bytes must still be hashed. */
  @Override
  public long skip(long n) throws IOException {
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

  /** The digest the bytes must match. */
  public Digest expected() {
    return expected;
  }

  /** True once the stream was read to its end and digest and size matched. */
  public boolean isVerified() {
    return verified;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() throws BlobMismatchException {
    if (verified) {
      return;
    }
    if (expectedSize >= 0 && count != expectedSize) {
      throw new BlobMismatchException(what + " is " + count + " bytes instead of " + expectedSize, count < expectedSize);
    }
    Digest actual = new Digest(expected.algorithm(), HexFormat.of().formatHex(hash.digest()));
    if (!actual.equals(expected)) {
      throw new BlobMismatchException(what + " is corrupt: its content hashes to " + actual);
    }
    verified = true;
  }

  /** A blob whose bytes do not match the digest or size it was referred to with. */
  public static final class BlobMismatchException extends IOException {
    private final boolean truncated;

    public BlobMismatchException(String message) {
      this(message, false);
    }

    public BlobMismatchException(String message, boolean truncated) {
      super(message);
      this.truncated = truncated;
    }

    /**
     * True when the bytes ended before the declared size: a body cut on the way (one the server
     * delimits by closing), which a second try may get whole. Bytes beyond the size or of another
     * digest are what the server holds, and a second try gets them again.
     */
    public boolean isTruncated() {
      return truncated;
    }
  }
}
