package io.imgtool.images;

import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;

/**
 * What {@code pull} did.
 *
 * @param reference the name as asked for
 * @param digest the digest the registry knows the image by (its index's, when it came from one)
 * @param completed true when the name was a lazy local image whose missing layers were fetched
 */
public record Pulled(ImageReference reference, Digest digest, boolean completed) {}
