package io.imgtool.images;

import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code commit} is asked to make.
 *
 * @param base a local image (name or ID), a registry image, or {@code scratch}
 * @param platform the platform to pick from a multi-platform registry base, or to record for scratch
 * @param rootfs an edited root filesystem whose difference from the base becomes a layer, or null
 * @param layers tar changesets to add on top, in order
 * @param name the new image's name, or null for an untagged image
 */
public record CommitRequest(String base, Platform platform, Path rootfs, List<LayerSource> layers,
    BuildSettings settings, ImageReference name) {

  public CommitRequest {
    layers = List.copyOf(layers);
  }
}
