package io.imgtool.images;

import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Platform;
import io.imgtool.mutate.Committed;
import io.imgtool.mutate.Import;
import io.imgtool.mutate.Instructions;
import io.imgtool.mutate.NewLayer;
import io.imgtool.name.ImageReference;
import io.imgtool.store.Staging;
import java.io.IOException;

/** {@code docker import}: a one-layer base image from a root filesystem tarball. */
public final class ImageImport {
  private ImageImport() {}

  /**
   * @param name the new image's name, or null for an untagged image
   * @return the new image's ID
   */
  public static Digest run(Workspace workspace, LayerSource tarball, Platform platform, BuildSettings settings,
      ImageReference name) throws IOException {
    Format format = settings.format() == null ? Format.OCI : settings.format();
    settings.checkCompatible(format);
    Instructions.parse(settings.changes()); // a bad -c fails before the layer is built
    try (Staging staging = workspace.store().stage()) {
      StagedLayers layers = new StagedLayers(staging, settings.compression(), settings.level(), workspace.events());
      NewLayer layer = layers.add(tarball, format, null);
      Committed image = Import.apply(platform, layer, tarball.displayName(), settings.commitOptions(format));
      NewImages.store(staging, NewImage.built(image.manifest(), image.config(), null), name, workspace);
      return image.id();
    }
  }
}
