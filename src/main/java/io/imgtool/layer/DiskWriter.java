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
    if (isSpecial(entry)) {
      // NIO opens a file to chmod it or set its times: a fifo would block, a device might act.
      run(rel, "chmod", Integer.toOctalString(entry.mode), path.toString());
      run(rel, "touch", "-h", "-d", "@" + entry.mtime, path.toString());
      return;
    }
    if (entry.type != TreeEntry.Type.SYMLINK) {
      Files.setAttribute(path, "unix:mode", entry.mode, NOFOLLOW);
      writeXattrs(path, rel, entry.xattrs);
    }
    if (setTimes) {
      setMtime(path, rel, entry.mtime);
    }
  }

  private static boolean isSpecial(TreeEntry entry) {
    return entry.type == TreeEntry.Type.CHAR || entry.type == TreeEntry.Type.BLOCK
        || entry.type == TreeEntry.Type.FIFO;
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

  /** Device nodes need privilege (and Java has no mknod); without it they are skipped. */
  private boolean mknod(Path path, String rel, TreeEntry entry) throws IOException {
    String major = Integer.toString(entry.devMajor);
    String minor = Integer.toString(entry.devMinor);
    String[] command = switch (entry.type) {
      case CHAR -> new String[] {"mknod", path.toString(), "c", major, minor};
      case BLOCK -> new String[] {"mknod", path.toString(), "b", major, minor};
      default -> new String[] {"mknod", path.toString(), "p"};
    };
    if (run(rel, command)) {
      return true;
    }
    skipped.add(rel + ": " + entry.type.name().toLowerCase(java.util.Locale.ROOT) + " node");
    return false;
  }

  private static boolean run(String rel, String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().transferTo(OutputStream.nullOutputStream());
    try {
      return process.waitFor() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command[0] + " for " + rel, e);
    }
  }
}
