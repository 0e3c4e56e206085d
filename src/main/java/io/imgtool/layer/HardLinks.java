package io.imgtool.layer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the hard-link groups of a changeset exact and small. After the layer is applied, a path
 * the layer does not hold keeps its base inode (shared with the base paths linked to it), and an
 * emitted path gets a new inode, or its leader's when it is written as a hard link.
 *
 * <p>So each inode of the directory picks a leader: a path that may keep its base inode (one the
 * comparison found unchanged, whose base inode no earlier group kept), else its first path,
 * written in full. Other paths keep their base inode only if it is the leader's, and are
 * otherwise written as hard links to the leader, after it in changeset order.
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
      PlannedEntry leader = paths.stream()
          .filter(p -> !p.emit && !kept.containsKey(p.base)).findFirst().orElse(paths.get(0));
      if (leader.emit || kept.containsKey(leader.base)) {
        leader.emit = true; // the directory broke this base hard link, or the file is new
      } else {
        kept.put(leader.base, true);
      }
      for (PlannedEntry path : paths) {
        if (path != leader && (path.emit || leader.emit || path.base != leader.base)) {
          path.emit = true;
          path.hardLinkTo = leader.path;
        }
      }
    }
  }
}
