package io.imgtool.archive;

/** Paths inside an archive, as its JSON documents name them: relative, never climbing out. */
final class ArchivePaths {
  private ArchivePaths() {}

  /** {@code ./a//b} is {@code a/b}; the spellings of one path become one. */
  static String clean(String path) {
    StringBuilder result = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (result.length() > 0) {
        result.append('/');
      }
      result.append(part);
    }
    return result.toString();
  }

  /** Relative, without "..", NUL or an empty name: a path that stays inside the archive. */
  static boolean isSafe(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) {
      return false;
    }
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
