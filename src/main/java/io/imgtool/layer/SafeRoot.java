package io.imgtool.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.StringJoiner;

/**
 * A directory that layer entries are written into. Every entry name is cleaned first, and every
 * parent component is checked without following symlinks, so nothing a layer holds can reach
 * outside the root, even through a symlink the same layer created a moment before.
 */
final class SafeRoot {
  private final Path root;

  SafeRoot(Path root) {
    this.root = root;
  }

  Path path() {
    return root;
  }

  /**
   * The relative slash-separated form of a tar entry name: {@code ./a//b/} becomes {@code a/b},
   * the root itself is {@code ""}. Absolute names and {@code ..} components are refused, not
   * rewritten, because a layer that holds them was not made for unpacking.
   */
  static String clean(String name) {
    if (name.startsWith("/")) {
      throw UnsafeLayerException.refused(name, "absolute name");
    }
    if (name.indexOf('\0') >= 0) {
      throw UnsafeLayerException.refused(name, "NUL in name");
    }
    StringJoiner joined = new StringJoiner("/");
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw UnsafeLayerException.refused(name, "'..' component");
      }
      if (!part.isEmpty() && !part.equals(".")) {
        joined.add(part);
      }
    }
    return joined.toString();
  }

  /**
   * The path of a cleaned relative name, after checking that each parent is a real directory.
   * Missing parents are created (mode 0755) when {@code createParents}; otherwise a missing
   * parent gives null, as there is nothing there to act on.
   */
  Path resolve(String rel, boolean createParents) throws IOException {
    if (rel.isEmpty()) {
      return root;
    }
    String[] parts = rel.split("/");
    Path current = root;
    for (int i = 0; i < parts.length - 1; i++) {
      current = current.resolve(parts[i]);
      BasicFileAttributes attrs = lstat(current);
      if (attrs == null) {
        if (!createParents) {
          return null;
        }
        Files.createDirectory(current);
      } else if (attrs.isSymbolicLink()) {
        throw UnsafeLayerException.refused(rel, "its parent " + root.relativize(current) + " is a symlink");
      } else if (!attrs.isDirectory()) {
        throw UnsafeLayerException.refused(rel, "its parent " + root.relativize(current) + " is not a directory");
      }
    }
    return current.resolve(parts[parts.length - 1]);
  }

  /** The attributes of the path itself (a symlink is not followed), or null when absent. */
  static BasicFileAttributes lstat(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
