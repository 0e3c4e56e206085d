package io.imgtool.layer;

import java.util.Comparator;

/**
 * The order of entries in a changeset and of lines in a diff: component by component, so a
 * directory comes right before its contents ({@code a}, {@code a/b}, {@code a-b}).
 */
final class PathOrder {
  static final Comparator<String> COMPONENTS = PathOrder::compare;

  private PathOrder() {}

  private static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return x == '/' ? -1 : y == '/' ? 1 : Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }
}
