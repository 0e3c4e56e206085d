package io.imgtool.layer;

import io.imgtool.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;

/** The digests of a layer blob that is copied as it is, in the one pass that copies it. */
public final class LayerDigests {
  private LayerDigests() {}

  /**
   * Copies the layer blob to {@code out} byte for byte and returns its diffID: the sha256 of the
   * tar inside, decompressed on the way (plain, gzip or zstd, told by its first bytes).
   *
   * @param source names the blob in messages
   */
  public static Digest copy(InputStream blob, OutputStream out, String source) throws IOException {
    TeeInputStream tee = new TeeInputStream(blob, out);
    MessageDigest sha256 = Digest.newSha256();
    byte[] buffer = new byte[1 << 16];
    try {
      InputStream tar = CompressedInput.open(tee, source);
      for (int n = tar.read(buffer); n >= 0; n = tar.read(buffer)) {
        sha256.update(buffer, 0, n);
      }
      while (tee.read(buffer) >= 0) {
        // what follows the compressed stream is part of the blob too
      }
      tee.close();
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the copy failed, not the layer
    }
    return Digest.fromSha256(sha256.digest());
  }
}
