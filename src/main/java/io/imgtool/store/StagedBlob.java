package io.imgtool.store;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;

/** A blob written to a staging area: what a manifest needs to refer to it. */
public record StagedBlob(Digest digest, long size) {
  public Descriptor descriptor(String mediaType) {
    return Descriptor.of(mediaType, digest, size);
  }
}
