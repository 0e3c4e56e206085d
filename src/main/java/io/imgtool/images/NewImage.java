package io.imgtool.images;

import io.imgtool.image.ImageConfig;
import io.imgtool.image.Index;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;

/**
 * An image about to enter the store: its own manifest (exact bytes, Docker or OCI) and config,
 * and what the store remembers of where it came from.
 *
 * @param index the index it was pulled from, or null
 * @param source the registry repository holding the layers the store will not have, or null
 * @param repoDigest where a registry holds it ({@code host/repo@sha256:…}), or null
 */
record NewImage(Manifest manifest, ImageConfig config, Index index, ImageReference source, String repoDigest) {
  static NewImage built(Manifest manifest, ImageConfig config, ImageReference source) {
    return new NewImage(manifest, config, null, source, null);
  }
}
