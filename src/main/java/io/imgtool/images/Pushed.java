package io.imgtool.images;

import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;

/** Where {@code push} put the image, and the digest of the manifest the registry now holds. */
public record Pushed(ImageReference target, Digest digest) {}
