package io.imgtool.registry;

import io.imgtool.image.Digest;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;

/**
 * A pulled image, all of whose blobs (layers, config, manifest) are now in the pull target.
 *
 * @param reference the name asked for, with the manifest digest ({@code NAME@sha256:...})
 * @param endpoint the registry that served it (a mirror, for Docker Hub pulls)
 */
public record PullResult(ImageReference reference, String endpoint, Manifest manifest, ImageConfig config) {
  public Digest digest() {
    return manifest.digest();
  }
}
