package io.imgtool.registry;

import java.util.List;

/**
 * What a name points to in a registry, whole: an index and every image it lists, or (index null)
 * one image.
 */
public record RemoteIndex(RemoteManifest index, List<RemoteImage> images) {
  public RemoteIndex {
    images = List.copyOf(images);
  }
}
