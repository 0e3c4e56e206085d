package io.imgtool.images;

import io.imgtool.image.Platform;
import io.imgtool.layer.UnpackReport;
import io.imgtool.layer.Unpacker;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** An image's root filesystem, its layers applied in order, written into a new or empty directory. */
public final class ImageUnpack {
  private ImageUnpack() {}

  /**
   * What cannot be kept without privilege (owners, device nodes, xattrs of privileged
   * namespaces) is reported, not fatal.
   *
   * @param ownersNotSet paths whose owner could not be set, with the owner the image gives them
   * @param skipped paths and what of them could not be made or set
   * @param warnings why a whole kind of thing could not be done, and how to get it
   */
  public record Unpacked(int layers, long entries, List<String> ownersNotSet, List<String> skipped,
      List<String> warnings) {}

  public static Unpacked run(Workspace workspace, String name, Platform platform, Path dir) throws IOException {
    if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
      throw new InvalidRequestException(dir + " is not an empty directory; unpack needs a new or empty one");
    }
    UnpackReport report;
    try (Staging staging = BaseImage.stagingFor(workspace, name)) {
      BaseImage image = BaseImage.resolve(workspace, name, platform, staging);
      if (image.image() == null) {
        Files.createDirectories(dir);
        return new Unpacked(0, 0, List.of(), List.of(), List.of());
      }
      report = Unpacker.unpack(image.image(), dir, workspace.diffCache());
    }
    return new Unpacked(report.layers(), report.entries(), report.ownersNotSet(), report.skipped(),
        report.warnings());
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
