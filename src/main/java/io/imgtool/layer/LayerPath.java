package io.imgtool.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * Entry paths of a layer tar as the container root sees them. Names in the wild come as
 * {@code etc/x}, {@code ./etc/x} or {@code etc/x/}; every check and lookup works on the cleaned form.
 */
public final class LayerPath {
  private LayerPath() {}

  /**
   * {@code ./etc//x/} becomes {@code etc/x}; the root ({@code ./}, {@code /}) becomes the empty
   * string. A leading {@code /} is dropped and {@code ..} is kept: callers that care refuse those
   * first with {@link #isAbsolute} and {@link #hasParentComponent}.
   */
  public static String clean(String name) {
    return String.join("/", components(name));
  }

  public static boolean isAbsolute(String name) {
    return name.startsWith("/");
  }

  public static boolean hasParentComponent(String name) {
    return components(name).contains("..");
  }

  /** The directory holding {@code path} (cleaned), "" for an entry at the root. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The last component of {@code path} (cleaned). */
  public static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The non-empty components of {@code name} other than "."; ".." is kept. */
  static List<String> components(String name) {
    List<String> result = new ArrayList<>();
    for (String component : name.split("/")) {
      if (!component.isEmpty() && !component.equals(".")) {
        result.add(component);
      }
    }
    return result;
  }
}
