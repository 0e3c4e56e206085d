package io.imgtool.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import io.imgtool.image.Digest;

/**
 * What a directory tree holds, one line per path (the root excluded): type, mode, owner, mtime
 * in seconds, content hash or symlink target or device numbers, the xattrs a layer records
 * (values in hex), and the other paths of its hard-link group. Two trees are equal when their
 * snapshots are.
 */
public final class TreeSnapshot {
  private TreeSnapshot() {}

  public static Map<String, String> of(Path root) {
    Map<String, String> lines = new TreeMap<>();
    Map<Object, TreeSet<String>> inodes = new HashMap<>();
    Map<String, Object> inodeOf = new HashMap<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          if (!dir.equals(root)) {
            record(dir);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          record(file);
          return FileVisitResult.CONTINUE;
        }

        private void record(Path path) throws IOException {
          String rel = root.relativize(path).toString();
          Map<String, Object> a = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
          int mode = (Integer) a.get("mode");
          TreeEntry entry = TreeEntry.fromDisk(path);
          String what = switch (mode & 0170000) {
            case 0100000 -> "file " + sha256(path);
            case 0120000 -> "symlink -> " + Files.readSymbolicLink(path);
            case 0040000 -> "dir";
            default -> "special " + entry.devMajor + "," + entry.devMinor;
          };
          String perm = (mode & 0170000) == 0120000 ? "" : " mode=" + Integer.toOctalString(mode & 07777);
          lines.put(rel, what + perm + " owner=" + a.get("uid") + ":" + a.get("gid")
              + " mtime=" + ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond()
              + (entry.xattrs.isEmpty() ? "" : " xattrs=" + hex(entry.xattrs)));
          if ((mode & 0170000) == 0100000) {
            Object inode = a.get("dev") + ":" + a.get("ino");
            inodes.computeIfAbsent(inode, k -> new TreeSet<>()).add(rel);
            inodeOf.put(rel, inode);
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    inodeOf.forEach((rel, inode) -> {
      List<String> others = new ArrayList<>(inodes.get(inode));
      others.remove(rel);
      if (!others.isEmpty()) {
        lines.put(rel, lines.get(rel) + " linked=" + others);
      }
    });
    return lines;
  }

  /** Names and values, in hex, for the values are bytes. */
  private static String hex(Xattrs xattrs) {
    StringBuilder s = new StringBuilder("{");
    xattrs.asMap().forEach((name, value) -> s.append(s.length() > 1 ? ", " : "").append(name).append('=')
        .append(HexFormat.of().formatHex(value)));
    return s.append('}').toString();
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = Digest.newSha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }
}
