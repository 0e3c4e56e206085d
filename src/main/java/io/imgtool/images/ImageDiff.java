package io.imgtool.images;

import io.imgtool.image.Platform;
import io.imgtool.layer.Change;
import io.imgtool.layer.RootfsDiff;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What {@code commit --rootfs DIR BASE} would record, as {@code docker diff} lines. */
public final class ImageDiff {
  private ImageDiff() {}

  /** {@code A /path}, {@code C /path}, {@code D /path}, parents of changed paths included. */
  public static List<String> run(Workspace workspace, String base, Platform platform, Path dir) throws IOException {
    RootfsInput.checkDirectory(dir);
    try (Staging staging = BaseImage.stagingFor(workspace, base)) {
      BaseImage image = BaseImage.resolve(workspace, base, platform, staging);
      return RootfsDiff.of(image.image(), dir, workspace.diffCache()).changes().stream()
          .map(Change::toString).toList();
    }
  }
}
