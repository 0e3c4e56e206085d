package io.imgtool.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What podman, buildah and containerd leave mounted under a test's directory (overlay mounts,
 * the overlay driver's private bind mount of its home), found in /proc/self/mountinfo and
 * unmounted so that JUnit can delete the directory.
 */
final class Mounts {
  private Mounts() {}

  /** Mount points at or under {@code dir}, deepest first. */
  static List<Path> under(Path dir) throws IOException {
    Path base = dir.toAbsolutePath().normalize();
    List<Path> found = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1)) {
      Path mountPoint = Path.of(OctalEscapes.decode(line.split(" ")[4]));
      if (mountPoint.startsWith(base)) {
        found.add(mountPoint);
      }
    }
    found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return found;
  }

  /**
   * Unmounts everything under {@code dir}, deepest first; a busy mount is detached lazily rather
   * than left behind. A few rounds, because mounts can be stacked on one mount point.
   */
  static void unmountAll(Path dir) throws IOException, InterruptedException {
    for (int round = 0; round < 5; round++) {
      List<Path> mounted = under(dir);
      if (mounted.isEmpty()) {
        return;
      }
      for (Path mountPoint : mounted) {
        if (Tools.run("umount", mountPoint.toString()).exit() != 0) {
          Tools.run("umount", "-l", mountPoint.toString());
        }
      }
    }
    if (!under(dir).isEmpty()) {
      throw new AssertionError("still mounted: " + under(dir));
    }
  }
}
