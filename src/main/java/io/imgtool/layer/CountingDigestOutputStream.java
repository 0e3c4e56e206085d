package io.imgtool.layer;

import io.imgtool.image.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through while computing their sha256 digest and counting them. */
final class CountingDigestOutputStream extends FilterOutputStream {
  private final MessageDigest sha256 = Digest.newSha256();
  private long size;

  CountingDigestOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    sha256.update((byte) b);
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha256.update(b, off, len);
    size += len;
  }

  /** The digest of everything written; call once, after the last write. */
  Digest digest() {
    return Digest.fromSha256(sha256.digest());
  }

  long size() {
    return size;
  }
}
