package io.imgtool.image;

import java.util.List;

/**
 * An image: its manifest and config, which are small and always at hand, and a source for its
 * layer blobs, which are opened only when their bytes are needed.
 */
public record Image(Manifest manifest, ImageConfig config, BlobSource blobs) {
  public Image {
    if (!manifest.config().digest().equals(config.digest())) {
      throw new InvalidImageException("config digest " + config.digest()
          + " does not match the manifest's " + manifest.config().digest());
    }
  }

  /** The image ID: the config digest, as Docker defines it. */
  public Digest id() {
    return config.digest();
  }

  public List<Descriptor> layers() {
    return manifest.layers();
  }
}
