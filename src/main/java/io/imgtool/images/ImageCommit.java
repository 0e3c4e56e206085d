package io.imgtool.images;

import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.layer.RootfsDiff;
import io.imgtool.mutate.Commit;
import io.imgtool.mutate.Committed;
import io.imgtool.mutate.Instructions;
import io.imgtool.mutate.NewLayer;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code docker commit} without a daemon: the base's layers, a layer made from the difference of
 * an edited root filesystem and the base, and tar changesets on top. A registry base stays in
 * its registry but for its manifest and config: the new image is lazy until its base layers are
 * needed.
 */
public final class ImageCommit {
  private ImageCommit() {}

  /** Returns the new image's ID. */
  public static Digest run(Workspace workspace, CommitRequest request) throws IOException {
    BuildSettings settings = request.settings();
    Instructions.parse(settings.changes()); // a bad -c fails before any layer is built
    if (request.rootfs() != null) {
      RootfsInput.checkDirectory(request.rootfs());
    }
    try (Staging staging = workspace.store().stage()) {
      BaseImage base = BaseImage.resolve(workspace, request.base(), request.platform(), staging);
      Image image = base.image();
      RootfsDiff diff = request.rootfs() == null ? null
          : RootfsDiff.of(image, request.rootfs(), workspace.diffCache());
      Format format = settings.format() != null ? settings.format()
          : image == null ? Format.OCI : image.manifest().format();
      settings.checkCompatible(format);
      StagedLayers staged = new StagedLayers(staging, settings.compression(), settings.level(), workspace.events());
      List<NewLayer> newLayers = new ArrayList<>();
      if (diff != null && !diff.isEmpty()) {
        newLayers.add(staged.add(diff, request.rootfs(), settings.mtimeClamp(), format,
            Commit.COMMAND + " --rootfs " + request.rootfs().getFileName()));
      }
      for (LayerSource input : request.layers()) {
        newLayers.add(staged.add(input, format, Commit.COMMAND + " --layer " + input.displayName()));
      }
      Committed committed = Commit.apply(image, request.platform(), newLayers, settings.commitOptions(format));
      NewImages.store(staging, NewImage.built(committed.manifest(), committed.config(), base.source()),
          request.name(), workspace);
      return committed.id();
    }
  }
}
