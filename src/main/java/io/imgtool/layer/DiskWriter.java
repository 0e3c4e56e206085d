package io.imgtool.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The disk side of {@link LayerApplier}: makes, changes and removes objects at canonical paths
 * under the root, which the tree guarantees hold no symlink on the way, and never follows a
 * symlink at the end. Owner first, then mode (chown clears setuid and setgid), xattrs and mtime;
 * directories get their mode and mtime at the end ({@link #finish}), so that a read-only
 * directory can still be filled without root, and writing into it does not change its mtime.
 * What the user or the filesystem cannot do (owners and device nodes without root, xattrs of
 * privileged namespaces) is recorded, not fatal, as in umoci's rootless mode.
 */
final class DiskWriter {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  /** What a directory is made with until {@link #finish}: its owner can always fill it. */
  private static final int FILLING_MODE = 0700;

  private final Path root;
  final List<String> ownersNotSet = new ArrayList<>();
  final List<String> skipped = new ArrayList<>();
  /** Said once rather than for each path: why a whole kind of thing could not be done. */
  final Set<String> warnings = new LinkedHashSet<>();

  DiskWriter(Path root) {
    this.root = root;
  }

  private Path path(String rel) {
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  void createDirectory(String rel, TreeEntry entry) throws IOException {
    Path path = path(rel);
    Files.createDirectory(path);
    chmod(path, rel, TreeEntry.Type.DIR, FILLING_MODE);
    updateDirectory(rel, entry);
  }

  /** A directory entry over an existing directory: its owner and xattrs now; mode and mtime at the end. */
  void updateDirectory(String rel, TreeEntry entry) throws IOException {
    Path path = path(rel);
    owner(path, rel, entry);
    xattrs(path, rel, entry);
  }

  /** @param sparse a sparse entry of the tar: its holes stay holes on disk */
  void createFile(String rel, TreeEntry entry, InputStream content, boolean sparse) throws IOException {
    Path path = path(rel);
    try (OutputStream out = sparse
        ? new HoleWriter(FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW))
        : Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)) {
      content.transferTo(named(out, path));
    }
    metadata(path, rel, entry);
  }

  /** Writes whose failures ("No space left on device", which names no file) name the file written. */
  private static OutputStream named(OutputStream out, Path path) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
          out.write(bytes, offset, length);
        } catch (java.nio.file.FileSystemException e) {
          throw e;
        } catch (IOException e) {
          throw (IOException) new java.nio.file.FileSystemException(path.toString(), null, e.getMessage()).initCause(e);
        }
      }
    };
  }

  /** A symlink, device node or fifo. */
  void create(String rel, TreeEntry entry) throws IOException {
    Path path = path(rel);
    switch (entry.type) {
      case SYMLINK -> Files.createSymbolicLink(path, path.getFileSystem().getPath(entry.symlinkTarget));
      case CHAR, BLOCK, FIFO -> {
        if (!mknod(path, rel, entry)) {
          return;
        }
      }
      default -> throw new IllegalArgumentException("not a symlink or node: " + entry.type);
    }
    metadata(path, rel, entry);
  }

  /** A hard link to a file already on disk; it shares that file's metadata. */
  void link(String rel, String target) throws IOException {
    Path to = path(target);
    if (!Files.exists(to, NOFOLLOW)) {
      skip(rel, "hard link to " + target + ", which could not be made");
      return;
    }
    Files.createLink(path(rel), to);
  }

  /** Removes what is at the path, a directory with its contents; nothing there is fine. */
  void remove(String rel) throws IOException {
    delete(path(rel));
  }

  /** Sets every directory's mode and mtime, deepest first, so a parent's mtime is set last. */
  void finish(FlatTree tree) throws IOException {
    finish(tree.root(), "");
  }

  private void finish(FlatTree.Node dir, String rel) throws IOException {
    for (Map.Entry<String, FlatTree.Node> child : dir.children.entrySet()) {
      if (child.getValue().isDir()) {
        finish(child.getValue(), rel.isEmpty() ? child.getKey() : rel + "/" + child.getKey());
      }
    }
    Path path = path(rel);
    chmod(path, rel, TreeEntry.Type.DIR, dir.entry.mode);
    mtime(path, rel, TreeEntry.Type.DIR, dir.entry.mtime);
  }

  private void metadata(Path path, String rel, TreeEntry entry) throws IOException {
    owner(path, rel, entry);
    if (entry.type != TreeEntry.Type.SYMLINK) {
      chmod(path, rel, entry.type, entry.mode);
    }
    xattrs(path, rel, entry);
    mtime(path, rel, entry.type, entry.mtime);
  }

  /**
   * Without the native calls (JNA could not load), java.nio does what it can: it opens a file to
   * change its mode or times, which would block on a fifo and is not for devices or symlinks.
   */
  private void chmod(Path path, String rel, TreeEntry.Type type, int mode) throws IOException {
    if (Posix.available()) {
      Posix.chmod(path, mode);
    } else if (type == TreeEntry.Type.FILE || type == TreeEntry.Type.DIR) {
      Files.setAttribute(path, "unix:mode", mode, NOFOLLOW);
    } else {
      skipWithoutNativeCalls(rel, "mode");
    }
  }

  private void owner(Path path, String rel, TreeEntry entry) throws IOException {
    try {
      Files.setAttribute(path, "unix:uid", (int) entry.uid, NOFOLLOW);
      Files.setAttribute(path, "unix:gid", (int) entry.gid, NOFOLLOW);
    } catch (FileSystemException e) {
      ownersNotSet.add(rel + ": " + entry.uid + ":" + entry.gid);
    }
  }

  private void xattrs(Path path, String rel, TreeEntry entry) throws IOException {
    for (Map.Entry<String, byte[]> xattr : entry.xattrs.asMap().entrySet()) {
      try {
        if (Posix.available()) {
          Posix.setXattr(path, xattr.getKey(), xattr.getValue());
        } else if (!UserXattrs.write(path, xattr.getKey(), xattr.getValue())) {
          skipWithoutNativeCalls(rel, "xattr " + xattr.getKey());
        }
      } catch (PosixException e) {
        if (!e.isPermissionDenied() && !e.isUnsupported()) {
          throw e;
        }
        skip(rel, "xattr " + xattr.getKey());
      }
    }
  }

  private void mtime(Path path, String rel, TreeEntry.Type type, long seconds) throws IOException {
    if (!Posix.available()) {
      if (type == TreeEntry.Type.FILE || type == TreeEntry.Type.DIR) {
        FileTime time = FileTime.from(seconds, TimeUnit.SECONDS);
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW).setTimes(time, time, null);
      } else {
        skipWithoutNativeCalls(rel, "mtime");
      }
      return;
    }
    try {
      Posix.setTimes(path, seconds, 0);
    } catch (PosixException e) {
      if (!e.isPermissionDenied()) {
        throw e;
      }
      skip(rel, "mtime");
    }
  }

  /** Device nodes need privilege; without it they are skipped and reported. */
  private boolean mknod(Path path, String rel, TreeEntry entry) throws IOException {
    int type = switch (entry.type) {
      case CHAR -> 0020000;
      case BLOCK -> 0060000;
      default -> 0010000;
    };
    String what = entry.type.name().toLowerCase(Locale.ROOT) + " node";
    if (!Posix.available()) {
      skipWithoutNativeCalls(rel, what);
      return false;
    }
    try {
      Posix.mknod(path, type | entry.mode, entry.devMajor, entry.devMinor);
      return true;
    } catch (PosixException e) {
      if (!e.isPermissionDenied()) {
        throw e;
      }
      skip(rel, what);
      return false;
    }
  }

  /** Something of the path the layers hold that could not be made here. */
  void skip(String rel, String what) {
    skipped.add(rel + ": " + what);
  }

  private void skipWithoutNativeCalls(String rel, String what) {
    warnings.add(Posix.unavailableReason());
    skip(rel, what);
  }

  /**
   * Deletes a tree. A directory it may not read or write (a read-only one unpack finished, when
   * not root) is made writable once: the user owns what unpack made.
   */
  static void delete(Path path) throws IOException {
    if (Files.isDirectory(path, NOFOLLOW)) {
      try {
        deleteChildren(path);
      } catch (AccessDeniedException e) {
        Files.setAttribute(path, "unix:mode", FILLING_MODE, NOFOLLOW); // a directory: java.nio will do
        deleteChildren(path);
      }
    }
    try {
      Files.delete(path);
    } catch (NoSuchFileException e) {
      // not there, which is the goal
    } catch (DirectoryNotEmptyException e) {
      throw new IOException("cannot remove " + path + ": something else is writing into it", e);
    }
  }

  private static void deleteChildren(Path dir) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    for (Path child : children) {
      delete(child);
    }
  }
}
