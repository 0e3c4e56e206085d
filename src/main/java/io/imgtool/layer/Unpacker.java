package io.imgtool.layer;

import io.imgtool.image.Image;
import io.imgtool.image.Digest;
import io.imgtool.image.VerifyingInputStream;
import io.imgtool.image.InvalidImageException;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.DigestInputStream;
import java.io.OutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies an image's layers in order into a directory, with OCI whiteout and opaque-directory
 * semantics, refusing any entry that would land outside it. Each layer's digest and diffID are
 * verified while it streams; a layer that fails leaves the directory partly written, so callers
 * should remove it.
 */
public final class Unpacker {
  private final SafeRoot root;
  private final DiskWriter disk = new DiskWriter();
  /** Directory mtimes, set at the end: writing into a directory changes its mtime. */
  private final TreeMap<String, Long> dirTimes = new TreeMap<>();
  /** Paths the current layer wrote; its whiteouts apply only to what lower layers wrote. */
  private final NavigableSet<String> written = new TreeSet<>();
  private long entries;
  /** The image's filesystem built on the way, for later diffs; null when not wanted or given up. */
  private FlatTree tree;

  private Unpacker(Path dir) {
    this.root = new SafeRoot(dir);
  }

  /** Unpacks the image into {@code dir}, which must be absent or empty. */
  public static UnpackReport unpack(Image image, Path dir) {
    return unpack(image, dir, null);
  }

  /**
   * As {@link #unpack(Image, Path)}, and keeps in {@code cache} what a later diff of {@code dir}
   * needs: the image's tree, built from the same read of the layers, and the unpack record.
   */
  public static UnpackReport unpack(Image image, Path dir, DiffCache cache) {
    try {
      Unpacker unpacker = new Unpacker(prepare(dir));
      unpacker.tree = cache == null ? null : new FlatTree();
      for (int i = 0; i < image.layers().size(); i++) {
        unpacker.applyLayer(image, i);
      }
      unpacker.restoreDirTimes();
      if (cache != null) {
        if (unpacker.tree != null) {
          cache.keep(image, unpacker.tree);
        }
        cache.recordUnpack(image, dir);
      }
      return new UnpackReport(image.layers().size(), unpacker.entries, unpacker.disk.ownersNotSet,
          unpacker.disk.skipped);
    } catch (VerifyingInputStream.BlobMismatchException e) {
      throw new InvalidImageException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack image " + image.id() + " into " + dir + ": "
          + e.getMessage(), e);
    }
  }

  private static Path prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      if (children.iterator().hasNext()) {
        throw new IllegalArgumentException("cannot unpack into " + dir
            + ": the directory is not empty; give a new or empty directory");
      }
    }
    return dir.toRealPath();
  }

  private void applyLayer(Image image, int index) throws IOException {
    written.clear();
    try (VerifiedLayerTar layer = VerifiedLayerTar.open(image, index)) {
      TarArchiveInputStream tar = layer.tar();
      try {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          boolean hashed = tree != null && !entry.isLink() && TreeEntry.typeOf(entry) == TreeEntry.Type.FILE;
          MessageDigest sha256 = hashed ? Digest.newSha256() : null;
          InputStream content = hashed ? new DigestInputStream(tar, sha256) : tar;
          applyEntry(entry, content);
          if (hashed) {
            content.transferTo(OutputStream.nullOutputStream()); // what the disk writer skipped
          }
          addToTree(entry, hashed ? sha256.digest() : null, index);
          entries++;
        }
      } catch (UnsafeLayerException e) {
        throw e.inLayer(layer.digest().toString());
      }
      layer.finish();
    }
  }

  /** The tree is a cache: an entry it cannot take only means a later diff builds it anew. */
  private void addToTree(TarArchiveEntry entry, byte[] fileSha256, int layer) {
    if (tree == null) {
      return;
    }
    try {
      tree.apply(entry, fileSha256, layer);
    } catch (RuntimeException e) {
      tree = null;
    }
  }

  private void applyEntry(TarArchiveEntry entry, InputStream tar) throws IOException {
    String rel = SafeRoot.clean(entry.getName());
    if (Whiteout.isMalformed(rel)) {
      throw new InvalidImageException("layer entry " + entry.getName() + " is a malformed whiteout");
    }
    if (Whiteout.isOpaque(rel)) {
      Path marker = root.resolve(rel, false); // checks the directory is no symlink
      if (marker != null && isRealDir(marker.getParent())) {
        removeLowerChildren(marker.getParent(), parentOf(rel));
      }
    } else if (Whiteout.isWhiteout(rel)) {
      String target = Whiteout.target(rel);
      Path path = root.resolve(target, false);
      if (path != null && SafeRoot.lstat(path) != null) {
        removeLower(path, target);
      }
    } else if (entry.isLink()) {
      link(rel, entry);
    } else if (rel.isEmpty()) {
      applyRoot(entry);
    } else {
      TreeEntry.Type type = TreeEntry.typeOf(entry);
      if (type == null) {
        disk.skipped.add(rel + ": unsupported tar entry type '" + (char) entry.getLinkFlag() + "'");
        return;
      }
      write(rel, TreeEntry.fromTar(entry, type), tar);
    }
  }

  private void write(String rel, TreeEntry entry, InputStream content) throws IOException {
    Path path = root.resolve(rel, true);
    BasicFileAttributes existing = SafeRoot.lstat(path);
    boolean keepDir = existing != null && existing.isDirectory() && entry.type == TreeEntry.Type.DIR;
    if (existing != null && !keepDir) {
      delete(path, rel);
    }
    written.add(rel);
    if (!keepDir && !disk.create(path, rel, entry, content)) {
      return;
    }
    boolean isDir = entry.type == TreeEntry.Type.DIR;
    disk.applyMetadata(path, rel, entry, !isDir);
    if (isDir) {
      dirTimes.put(rel, entry.mtime);
    }
  }

  private void link(String rel, TarArchiveEntry entry) throws IOException {
    String targetRel = SafeRoot.clean(entry.getLinkName());
    Path target = targetRel.isEmpty() ? null : root.resolve(targetRel, false);
    BasicFileAttributes targetAttrs = target == null ? null : SafeRoot.lstat(target);
    if (targetAttrs == null || targetAttrs.isDirectory() || targetRel.equals(rel)) {
      throw UnsafeLayerException.refused(entry.getName(),
          "hard link to " + entry.getLinkName() + ", which is not a file already unpacked");
    }
    Path path = root.resolve(rel, true);
    if (SafeRoot.lstat(path) != null) {
      delete(path, rel);
    }
    Files.createLink(path, target);
    written.add(rel);
  }

  private void applyRoot(TarArchiveEntry entry) throws IOException {
    if (entry.isDirectory()) {
      disk.applyMetadata(root.path(), ".", TreeEntry.fromTar(entry, TreeEntry.Type.DIR), false);
      dirTimes.put("", entry.getLastModifiedTime().toInstant().getEpochSecond());
    }
  }

  /** A whiteout: removes what lower layers put at and below the path, keeping this layer's. */
  private void removeLower(Path path, String rel) throws IOException {
    String below = rel + "/";
    String next = written.ceiling(below);
    boolean keepsSomething = written.contains(rel) || (next != null && next.startsWith(below));
    if (!keepsSomething) {
      delete(path, rel);
    } else if (isRealDir(path)) {
      removeLowerChildren(path, rel);
    }
  }

  private void removeLowerChildren(Path dir, String rel) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      removeLower(child, rel.isEmpty() ? name : rel + "/" + name);
    }
  }

  private void delete(Path path, String rel) throws IOException {
    if (isRealDir(path)) {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
        stream.forEach(children::add);
      }
      for (Path child : children) {
        delete(child, rel + "/" + child.getFileName());
      }
    }
    Files.delete(path);
    dirTimes.remove(rel);
    dirTimes.subMap(rel + "/", rel + "0").clear(); // '0' sorts right after '/'
  }

  /** Deepest first, so setting a directory's mtime does not disturb its parent's. */
  private void restoreDirTimes() throws IOException {
    List<Map.Entry<String, Long>> dirs = new ArrayList<>(dirTimes.entrySet());
    dirs.sort(Comparator.comparingInt((Map.Entry<String, Long> e) -> depth(e.getKey())).reversed());
    for (Map.Entry<String, Long> dir : dirs) {
      Path path = dir.getKey().isEmpty() ? root.path() : root.resolve(dir.getKey(), false);
      if (path != null && isRealDir(path)) {
        disk.setMtime(path, dir.getKey(), dir.getValue());
      }
    }
  }

  private static int depth(String rel) {
    return rel.isEmpty() ? 0 : rel.split("/").length;
  }

  private static boolean isRealDir(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }

  private static String parentOf(String rel) {
    int slash = rel.lastIndexOf('/');
    return slash < 0 ? "" : rel.substring(0, slash);
  }
}
