package io.imgtool.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes filesystem objects from layer entries: the object first, then owner, mode (after the
 * owner, since chown clears setuid/setgid), xattrs and mtime, never following a symlink.
 * What the user or filesystem cannot do is recorded, not fatal, as in umoci's rootless mode.
 */
final class DiskWriter {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  final List<String> ownersNotSet = new ArrayList<>();
  final List<String> skipped = new ArrayList<>();

  /** Creates the object; false when it could not be made (a device node without privilege). */
  boolean create(Path path, String rel, TreeEntry entry, InputStream content) throws IOException {
    switch (entry.type) {
      case DIR -> Files.createDirectory(path);
      case FILE -> {
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, NOFOLLOW)) {
          content.transferTo(out);
        }
      }
      case SYMLINK -> Files.createSymbolicLink(path, path.getFileSystem().getPath(entry.symlinkTarget));
      case CHAR, BLOCK, FIFO -> {
        return mknod(path, rel, entry);
      }
    }
    return true;
  }

  void applyMetadata(Path path, String rel, TreeEntry entry, boolean setTimes) throws IOException {
    try {
      Files.setAttribute(path, "unix:uid", (int) entry.uid, NOFOLLOW);
      Files.setAttribute(path, "unix:gid", (int) entry.gid, NOFOLLOW);
    } catch (FileSystemException e) {
      ownersNotSet.add(rel + ": " + entry.uid + ":" + entry.gid);
    }
    if (entry.type != TreeEntry.Type.SYMLINK) {
      Files.setAttribute(path, "unix:mode", entry.mode, NOFOLLOW);
      writeXattrs(path, rel, entry.xattrs);
    }
    if (setTimes) {
      setMtime(path, rel, entry.mtime);
    }
  }

  void setMtime(Path path, String rel, long seconds) throws IOException {
    FileTime time = FileTime.fromMillis(seconds * 1000);
    try {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW).setTimes(time, time, null);
    } catch (UnsupportedOperationException | FileSystemException e) {
      skipped.add(rel + ": mtime");
    }
  }

  private void writeXattrs(Path path, String rel, Map<String, String> xattrs) throws IOException {
    if (xattrs.isEmpty()) {
      return;
    }
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, NOFOLLOW);
    for (Map.Entry<String, String> xattr : xattrs.entrySet()) {
      String name = xattr.getKey();
      try {
        if (view == null || !name.startsWith(TreeEntry.USER_XATTR)) {
          throw new UnsupportedOperationException();
        }
        view.write(name.substring(TreeEntry.USER_XATTR.length()),
            ByteBuffer.wrap(xattr.getValue().getBytes(StandardCharsets.UTF_8)));
      } catch (UnsupportedOperationException | FileSystemException e) {
        skipped.add(rel + ": xattr " + name);
      }
    }
  }

  private boolean mknod(Path path, String rel, TreeEntry entry) throws IOException {
    List<String> command = new ArrayList<>(List.of("mknod", path.toString()));
    switch (entry.type) {
      case CHAR -> command.addAll(List.of("c", Integer.toString(entry.devMajor), Integer.toString(entry.devMinor)));
      case BLOCK -> command.addAll(List.of("b", Integer.toString(entry.devMajor), Integer.toString(entry.devMinor)));
      default -> command.add("p");
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().transferTo(OutputStream.nullOutputStream());
    try {
      if (process.waitFor() == 0) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making device node " + rel, e);
    }
    skipped.add(rel + ": " + entry.type.name().toLowerCase(java.util.Locale.ROOT) + " device node");
    return false;
  }
}
