package io.imgtool.layer;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Image;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.VerifyingInputStream;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * One layer of an image, opened as a tar stream whose blob digest, size and diffID are computed
 * while it is read and checked by {@link #finish()}, so a layer is read once.
 */
final class VerifiedLayerTar implements Closeable {
  private final Descriptor blob;
  private final Digest diffId;
  private final InputStream compressed;
  private final InputStream uncompressed;
  private final XattrTarInputStream tar;

  private VerifiedLayerTar(Descriptor blob, Digest diffId, InputStream raw) throws IOException {
    this.blob = blob;
    this.diffId = diffId;
    this.compressed = new VerifyingInputStream(new BufferedInputStream(raw, 1 << 16), blob.digest(), blob.size(),
        "layer blob " + blob.digest(), n -> { });
    // The compression is read from the bytes, as for any input layer, whatever the media type says.
    this.uncompressed = new VerifyingInputStream(CompressedInput.open(compressed, blob.digest().toString()),
        diffId, -1, "layer " + blob.digest() + " uncompressed (the config's diff_id)", n -> { });
    this.tar = new XattrTarInputStream(uncompressed);
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

  XattrTarInputStream tar() {
    return tar;
  }

  /**
   * Reads what the tar reader left (end blocks, padding, compression trailer): the verifying
   * streams check the blob's digest and size and the diffID when they reach their ends.
   */
  void finish() throws IOException {
    try {
      uncompressed.transferTo(OutputStream.nullOutputStream());
      compressed.transferTo(OutputStream.nullOutputStream());
    } catch (VerifyingInputStream.BlobMismatchException e) {
      throw new InvalidImageException(e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
