package io.imgtool.archive;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The files of an archive by path, with its links followed inside it: {@code docker save} writes
 * a layer that several images share once and links the others to it. A link that leaves the
 * archive or loops names nothing.
 *
 * @param <F> what a file is to the reader (a tar entry, a spooled file)
 */
final class ArchiveLinks<F> {
  private static final int MAX_LINKS = 16;

  private final Map<String, F> files = new HashMap<>();
  private final Map<String, String> links = new HashMap<>();

  void file(String path, F file) {
    files.put(path, file);
    links.remove(path);
  }

  /** A symlink's target is relative to its directory; a hard link's, to the archive's root. */
  void link(String path, String target, boolean symbolic) {
    String resolved = symbolic && !target.startsWith("/") ? join(parent(path), target) : target;
    links.put(path, ArchivePaths.clean(resolved));
    files.remove(path);
  }

  F find(String path) {
    String current = ArchivePaths.clean(path);
    for (int hops = 0; hops <= MAX_LINKS; hops++) {
      if (!ArchivePaths.isSafe(current)) {
        return null;
      }
      F file = files.get(current);
      if (file != null) {
        return file;
      }
      current = links.get(current);
      if (current == null) {
        return null;
      }
      current = normalise(current);
    }
    return null;
  }

  /** Resolves ".." against the path itself; one that climbs out stays unsafe. */
  private static String normalise(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return "..";
        }
        parts.removeLast();
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
