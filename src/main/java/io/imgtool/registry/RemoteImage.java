package io.imgtool.registry;

import io.imgtool.image.BlobSource;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;

/**
 * An image in a registry with its manifest and config fetched and its layers not: the
 * {@link BlobSource} downloads (and verifies) a layer only when it is opened.
 *
 * @param reference the name asked for, with the manifest's digest
 * @param endpoint the registry that served it (a mirror, for Docker Hub pulls)
 * @param index the index the manifest was chosen from, or null
 */
public record RemoteImage(
    ImageReference reference, String endpoint, RemoteManifest index, Manifest manifest, ImageConfig config,
    BlobSource blobs) {

  public Image image() {
    return new Image(manifest, config, blobs);
  }
}
