package io.imgtool.registry;

import io.imgtool.image.Digest;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;

/**
 * A pulled image, all of whose blobs (layers, config, manifest, and the index it was chosen
 * from) are now in the pull target, as the exact bytes the registry served.
 *
 * @param reference the name asked for, with the manifest digest ({@code NAME@sha256:...})
 * @param endpoint the registry that served it (a mirror, for Docker Hub pulls)
 * @param index the index the manifest was chosen from, or null
 */
public record PullResult(
    ImageReference reference, String endpoint, RemoteManifest index, Manifest manifest, ImageConfig config) {

  /** The digest the registry knows the image by, as Docker prints it: the index's, if any. */
  public Digest distributionDigest() {
    return index != null ? index.digest() : manifest.digest();
  }
}
