package io.imgtool.layer;

import io.imgtool.image.Compression;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.MediaType;

/**
 * A layer blob that {@link LayerBuilder} wrote: its diffID (sha256 of the uncompressed tar, for the
 * config's {@code rootfs.diff_ids}), and the digest, size and compression of the blob itself (for
 * the manifest's layer descriptor).
 */
public record BuiltLayer(Digest diffId, Digest digest, long size, Compression compression) {

  /** The layer media type for a manifest of the given format. */
  public String mediaType(Format format) {
    return MediaType.layer(format, compression);
  }
}
