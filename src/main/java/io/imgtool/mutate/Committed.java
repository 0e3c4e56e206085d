package io.imgtool.mutate;

import io.imgtool.image.Digest;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Manifest;

/** The result of a commit or import: a new manifest whose config descriptor points at config. */
public record Committed(Manifest manifest, ImageConfig config) {
  /** The image ID, Docker's way: the config digest. */
  public Digest id() {
    return config.digest();
  }
}
