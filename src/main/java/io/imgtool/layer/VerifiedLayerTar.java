package io.imgtool.layer;

import com.github.luben.zstd.ZstdInputStream;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Image;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.MediaType;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One layer of an image, opened as a tar stream whose blob digest, size and diffID are computed
 * while it is read and checked by {@link #finish()}, so a layer is read once.
 */
final class VerifiedLayerTar implements Closeable {
  private final Descriptor blob;
  private final Digest diffId;
  private final Hashing compressed;
  private final Hashing uncompressed;
  private final TarArchiveInputStream tar;

  private VerifiedLayerTar(Descriptor blob, Digest diffId, InputStream raw) throws IOException {
    this.blob = blob;
    this.diffId = diffId;
    this.compressed = new Hashing(new BufferedInputStream(raw, 1 << 16));
    this.uncompressed = new Hashing(decompress(compressed, blob.mediaType()));
    this.tar = new TarArchiveInputStream(uncompressed, "UTF-8");
  }

  /** Opens layer {@code index} of the image; the config must list a diffID for every layer. */
  static VerifiedLayerTar open(Image image, int index) throws IOException {
    List<Descriptor> layers = image.layers();
    List<Digest> diffIds = image.config().diffIds();
    if (diffIds.size() != layers.size()) {
      throw new InvalidImageException("image " + image.id() + " has " + layers.size()
          + " layers but its config lists " + diffIds.size() + " diff_ids");
    }
    Descriptor blob = layers.get(index);
    return new VerifiedLayerTar(blob, diffIds.get(index), image.blobs().open(blob));
  }

  Digest digest() {
    return blob.digest();
  }

  TarArchiveInputStream tar() {
    return tar;
  }

  /** Reads what the tar reader left (end blocks, padding, compression trailer) and checks. */
  void finish() throws IOException {
    uncompressed.transferTo(OutputStream.nullOutputStream());
    compressed.transferTo(OutputStream.nullOutputStream());
    Digest actual = Digest.fromSha256(compressed.digest.digest());
    if (!actual.equals(blob.digest()) || compressed.count != blob.size()) {
      throw new InvalidImageException("layer blob " + blob.digest() + " is corrupt: its bytes hash to "
          + actual + " (" + compressed.count + " bytes, expected " + blob.size() + ")");
    }
    Digest actualDiffId = Digest.fromSha256(uncompressed.digest.digest());
    if (!actualDiffId.equals(diffId)) {
      throw new InvalidImageException("layer " + blob.digest() + " uncompresses to " + actualDiffId
          + " but the image config lists diff_id " + diffId);
    }
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  private static InputStream decompress(InputStream in, String mediaType) throws IOException {
    return switch (MediaType.layerCompression(mediaType)) {
      case GZIP -> new GZIPInputStream(in, 1 << 16);
      case ZSTD -> new ZstdInputStream(in);
      case NONE -> in;
    };
  }

  /** Counts and hashes the bytes that pass through it. */
  private static final class Hashing extends FilterInputStream {
    final MessageDigest digest = Digest.newSha256();
    long count;

    Hashing(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        digest.update((byte) b);
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        digest.update(buffer, offset, n);
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buffer = new byte[8192];
      long skipped = 0;
      while (skipped < n) {
        int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (read < 0) {
          break;
        }
        skipped += read;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
