package io.imgtool.layer;

/**
 * The OCI/AUFS whiteout convention of layer tars: an entry {@code dir/.wh.NAME} deletes
 * {@code dir/NAME} from the layers below; {@code dir/.wh..wh..opq} (the opaque marker) hides
 * everything the layers below have in {@code dir}. All methods take cleaned paths
 * ({@link LayerPath#clean}).
 */
public final class Whiteout {
  public static final String PREFIX = ".wh.";
  public static final String OPAQUE = PREFIX + PREFIX + ".opq";

  private Whiteout() {}

  /** Whether the entry is a whiteout of any kind, the opaque marker included. */
  public static boolean isWhiteout(String path) {
    return LayerPath.baseName(path).startsWith(PREFIX);
  }

  /** Whether the entry is the opaque marker of its directory. */
  public static boolean isOpaque(String path) {
    return LayerPath.baseName(path).equals(OPAQUE);
  }

  /** The last component of a path. */
  public static String baseName(String path) {
    return LayerPath.baseName(path);
  }

  /** A whiteout of a whiteout ({@code .wh..wh.x}, but not the opaque marker) or an empty name. */
  public static boolean isMalformed(String path) {
    String name = LayerPath.baseName(path);
    return name.equals(PREFIX) || (name.startsWith(PREFIX + PREFIX) && !name.equals(OPAQUE));
  }

  /** {@code a/.wh.b} becomes {@code a/b}, the path this whiteout deletes. Not for opaque markers. */
  public static String target(String path) {
    if (!isWhiteout(path) || isOpaque(path)) {
      throw new IllegalArgumentException("not a whiteout of a single path: " + path);
    }
    String name = LayerPath.baseName(path).substring(PREFIX.length());
    String dir = LayerPath.parent(path);
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  /** {@code a/b} becomes {@code a/.wh.b}, the entry that deletes it. */
  public static String of(String path) {
    String dir = LayerPath.parent(path);
    String name = PREFIX + LayerPath.baseName(path);
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  /** The opaque marker entry of directory {@code dir} ("" for the root). */
  public static String opaqueMarker(String dir) {
    return dir.isEmpty() ? OPAQUE : dir + "/" + OPAQUE;
  }
}
