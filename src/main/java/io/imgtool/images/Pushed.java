package io.imgtool.images;

import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;

/**
 * Where {@code push} put the image, and the digest of the manifest it wrote there.
 *
 * @param target the registry name, or null for an archive or layout
 * @param location the archive or layout written, as written, or null for a registry
 */
public record Pushed(ImageReference target, Digest digest, String location) {
  Pushed(ImageReference target, Digest digest) {
    this(target, digest, null);
  }
}
