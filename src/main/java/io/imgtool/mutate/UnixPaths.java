package io.imgtool.mutate;

import java.util.ArrayDeque;
import java.util.Deque;

/** Go's path.Clean for absolute paths: one slash between names, no "." and ".." resolved. */
final class UnixPaths {
  private UnixPaths() {}

  static String clean(String absolute) {
    Deque<String> names = new ArrayDeque<>();
    for (String name : absolute.split("/")) {
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        names.pollLast(); // ".." at the root stays at the root
      } else {
        names.addLast(name);
      }
    }
    return "/" + String.join("/", names);
  }
}
