package io.imgtool.layer;

/**
 * OCI whiteouts: an entry {@code dir/.wh.NAME} deletes {@code dir/NAME} from the layers below,
 * and {@code dir/.wh..wh..opq} hides everything below {@code dir} (an opaque directory).
 */
public final class Whiteout {
  public static final String PREFIX = ".wh.";
  public static final String OPAQUE = ".wh..wh..opq";
  private static final String META_PREFIX = ".wh..wh.";

  private Whiteout() {}

  /** The last component of a slash-separated path. */
  public static String baseName(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  public static boolean isWhiteout(String path) {
    return baseName(path).startsWith(PREFIX);
  }

  public static boolean isOpaque(String path) {
    return baseName(path).equals(OPAQUE);
  }

  /** A whiteout of a whiteout ({@code .wh..wh.x}, but not the opaque marker) or an empty name. */
  public static boolean isMalformed(String path) {
    String name = baseName(path);
    return name.equals(PREFIX) || (name.startsWith(META_PREFIX) && !name.equals(OPAQUE));
  }

  /** The path a plain whiteout deletes: {@code a/.wh.b} → {@code a/b}. */
  public static String target(String path) {
    String name = baseName(path);
    String dir = path.substring(0, path.length() - name.length());
    return dir + name.substring(PREFIX.length());
  }

  /** The whiteout entry name that deletes {@code path}. */
  public static String of(String path) {
    String name = baseName(path);
    String dir = path.substring(0, path.lastIndexOf(name));
    return dir + PREFIX + name;
  }
}
