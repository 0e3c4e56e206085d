package io.imgtool.layer;

import io.imgtool.image.Digest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code unpack} wrote, so that a later diff need not read every unchanged file. For each
 * regular file it keeps the inode, size and change time (ctime) it had right after unpacking.
 * Any write, truncation, chmod, chown, rename onto it or new hard link changes a file's ctime,
 * and a process cannot set ctime, so a file whose inode, size and ctime are as recorded still
 * holds what unpack wrote, which is the base's content. Like git's index, a file whose ctime is
 * not older than the record itself may have changed within the clock's granularity, and is read.
 */
final class UnpackRecord {
  private static final String MAGIC = "imgtool-unpack-1";

  /** A regular file as unpack left it. */
  record Stamp(String inode, long size, long ctimeNanos) {}

  private final Map<String, Stamp> files;
  private final long writtenNanos;

  private UnpackRecord(Map<String, Stamp> files, long writtenNanos) {
    this.files = files;
    this.writtenNanos = writtenNanos;
  }

  /** True when the file at {@code path} provably still holds what unpack wrote there. */
  boolean unchanged(String path, TreeEntry disk) {
    Stamp stamp = files.get(path);
    return stamp != null && disk.ctimeNanos < writtenNanos && stamp.ctimeNanos == disk.ctimeNanos
        && stamp.size == disk.size && stamp.inode.equals(disk.inode);
  }

  /** Records the regular files under {@code dir} for the image {@code id}; best effort. */
  static void write(Path file, Digest id, Path dir) {
    try {
      Path root = dir.toRealPath();
      Map<String, Stamp> files = new HashMap<>();
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) throws IOException {
          if (attributes.isRegularFile()) {
            files.put(root.relativize(path).toString(), stamp(path));
          }
          return FileVisitResult.CONTINUE;
        }
      });
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".unpack", ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
        out.writeUTF(MAGIC);
        out.writeUTF(id.toString());
        out.writeUTF(rootIdentity(root));
        out.writeInt(files.size());
        for (Map.Entry<String, Stamp> entry : files.entrySet()) {
          DiffCache.writeString(out, entry.getKey());
          out.writeUTF(entry.getValue().inode());
          out.writeLong(entry.getValue().size());
          out.writeLong(entry.getValue().ctimeNanos());
        }
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // a cache: without it the diff reads every file
    }
  }

  /**
   * The record of {@code dir} if it was made for image {@code id} and for this very directory;
   * null otherwise. The record file's own ctime is the time it was written.
   */
  static UnpackRecord read(Path file, Digest id, Path dir) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      Path root = dir.toRealPath();
      if (!MAGIC.equals(in.readUTF()) || !id.toString().equals(in.readUTF())
          || !rootIdentity(root).equals(in.readUTF())) {
        return null;
      }
      Map<String, Stamp> files = new HashMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        files.put(DiffCache.readString(in), new Stamp(in.readUTF(), in.readLong(), in.readLong()));
      }
      FileTime written = (FileTime) Files.getAttribute(file, "unix:ctime");
      return new UnpackRecord(files, nanos(written));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }

  private static Stamp stamp(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size,ctime", LinkOption.NOFOLLOW_LINKS);
    return new Stamp(a.get("dev") + ":" + a.get("ino"), (Long) a.get("size"), nanos((FileTime) a.get("ctime")));
  }

  /** The directory's own inode: a record never applies to another directory at the same path. */
  private static String rootIdentity(Path root) throws IOException {
    Map<String, Object> a = Files.readAttributes(root, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
    return a.get("dev") + ":" + a.get("ino");
  }
}
