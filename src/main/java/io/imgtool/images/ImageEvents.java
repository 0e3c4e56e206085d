package io.imgtool.images;

import io.imgtool.image.Compression;
import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;
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

  /** Something the user should know although the command goes on, e.g. a config file that cannot be read. */
  default void warning(String message) {}

  /** A push to {@code target}'s repository begins; its blobs follow. */
  default void pushing(ImageReference target) {}

  /** A pull of {@code reference} begins; its blobs follow. */
  default void pulling(ImageReference reference) {}

  /**
   * A pull ended: the digest the registry knows the image by, and whether the store changed
   * (false when it already held the image under that name).
   */
  default void pulled(ImageReference reference, Digest digest, boolean changed) {}

  /** {@code name} now names another image; the image it named, {@code formerId}, has no name left. */
  default void untagged(ImageReference name, Digest formerId) {}
}
