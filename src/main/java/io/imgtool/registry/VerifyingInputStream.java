package io.imgtool.registry;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * Passes a blob's bytes through while hashing and counting them; at the end (or as soon as there
 * are too many bytes) it throws {@link BlobMismatchException} unless digest and size match the
 * descriptor. A reader that copies to a temporary file and keeps it only when no exception came
 * therefore never keeps a corrupt blob.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final Descriptor expected;
  private final MessageDigest sha256 = Digest.newSha256();
  private final LongConsumer progress;
  private long count;
  private boolean verified;

  VerifyingInputStream(InputStream in, Descriptor expected, LongConsumer progress) {
    super(in);
    this.expected = expected;
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    sha256.update(b, off, n);
    count += n;
    if (count > expected.size()) {
      throw new BlobMismatchException(expected, "more than the " + expected.size() + " bytes its descriptor declares");
    }
    progress.accept(count);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return read(new byte[(int) Math.min(n, 8192)]);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() throws IOException {
    if (verified) {
      return;
    }
    if (count != expected.size()) {
      throw new BlobMismatchException(expected, count + " bytes instead of " + expected.size());
    }
    Digest actual = Digest.fromSha256(sha256.digest());
    if (!actual.equals(expected.digest())) {
      throw new BlobMismatchException(expected, "its content hashes to " + actual);
    }
    verified = true;
  }

  /** A blob whose bytes do not match its descriptor. */
  static final class BlobMismatchException extends IOException {
    BlobMismatchException(Descriptor blob, String why) {
      super("blob " + blob.digest() + " does not match its descriptor: " + why);
    }
  }
}
