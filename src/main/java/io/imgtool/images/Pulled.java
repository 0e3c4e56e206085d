package io.imgtool.images;

import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;

/**
 * What {@code pull} did.
 *
 * @param reference the name as asked for, or the name the archive gives the image; null when it has none
 * @param digest the digest the registry knows the image by (its index's, when it came from one)
 * @param completed true when the name was a lazy local image whose missing layers were fetched
 * @param location the archive or layout pulled from, as written, or null for a registry
 */
public record Pulled(ImageReference reference, Digest digest, boolean completed, String location) {
  Pulled(ImageReference reference, Digest digest, boolean completed) {
    this(reference, digest, completed, null);
  }
}
