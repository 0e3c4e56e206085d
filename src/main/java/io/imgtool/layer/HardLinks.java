package io.imgtool.layer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the hard-link groups of a changeset exact and applicable. After the layer is applied, a
 * path the layer does not hold keeps its base inode (shared with the base paths linked to it),
 * and an emitted path gets a new inode, or that of the path it is written as a hard link to.
 *
 * <p>A hard link may point only at a path written earlier in the same changeset: appliers that
 * unpack each layer into a directory of its own (overlayfs, as containerd and podman pull) cannot
 * link to a file of a lower layer. So an inode of the directory keeps its base inode only when
 * every one of its paths is unchanged and was linked to the same base inode, which no earlier
 * group kept. Otherwise all its paths are emitted: the first in full, the others as hard links
 * to it. That costs one copy of the content, which a new link to a base file costs anyway, and
 * keeps the paths linked as they are on disk ({@code ln}, {@code cp -al}, {@code busybox --install}).
 */
final class HardLinks {
  private HardLinks() {}

  static void plan(List<PlannedEntry> plan) {
    Map<String, List<PlannedEntry>> inodes = new LinkedHashMap<>();
    for (PlannedEntry entry : plan) {
      if (entry.kind == PlannedEntry.Kind.OBJECT && entry.entry.type == TreeEntry.Type.FILE) {
        inodes.computeIfAbsent(entry.entry.inode, k -> new ArrayList<>()).add(entry);
      }
    }
    Map<TreeEntry, Boolean> kept = new IdentityHashMap<>();
    for (List<PlannedEntry> paths : inodes.values()) {
      TreeEntry base = paths.get(0).base;
      boolean unchanged = !kept.containsKey(base)
          && paths.stream().allMatch(p -> !p.emit && p.base != null && p.base == base);
      if (unchanged) {
        kept.put(base, true);
        continue;
      }
      PlannedEntry written = paths.get(0);
      written.emit = true;
      for (PlannedEntry path : paths.subList(1, paths.size())) {
        path.emit = true;
        path.hardLinkTo = written.path;
      }
    }
  }
}
