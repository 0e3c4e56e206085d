package io.imgtool.images;

import io.imgtool.image.Compression;
import io.imgtool.image.Digest;
import java.io.InputStream;

/**
 * What the operations report besides blob transfers (see {@link io.imgtool.image.TransferListener}),
 * for the CLI to render on stderr: status lines, and the progress of reading a layer being built.
 */
public interface ImageEvents {
  ImageEvents NONE = new ImageEvents() { };

  /** A status line, e.g. that a base is used from its registry. */
  default void info(String message) {}

  /** Wraps a stream being consumed so that its progress can be shown under {@code label}. */
  default InputStream reading(String label, long size, InputStream in) {
    return in;
  }

  /** A layer read under {@code label} is built: its blob's size, compression and digest. */
  default void layerBuilt(String label, long size, Compression compression, Digest digest) {}
}
