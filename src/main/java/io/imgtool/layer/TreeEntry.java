package io.imgtool.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The metadata of one filesystem object, read from a layer entry or from a directory on disk,
 * in the terms a layer can record: type, permission bits, numeric owner, mtime in seconds,
 * size and content hash, symlink target, device numbers, extended attributes as raw bytes.
 */
final class TreeEntry {
  enum Type { FILE, DIR, SYMLINK, CHAR, BLOCK, FIFO }

  private static final String DISK_ATTRIBUTES =
      "unix:mode,uid,gid,size,lastModifiedTime,rdev,dev,ino,nlink,ctime";

  final Type type;
  final int mode;
  final long uid;
  final long gid;
  final long mtime;
  final long size;
  final String symlinkTarget;
  final int devMajor;
  final int devMinor;
  final Xattrs xattrs;
  /**
   * sha256 of a regular file's content; null until known. In a base tree, hard-linked paths
   * share one TreeEntry object, as they share one inode.
   */
  byte[] sha256;
  /** Disk trees: the inode ("dev:ino"), its link count and its change time in nanoseconds. */
  String inode;
  long nlink = 1;
  long ctimeNanos;

  TreeEntry(Type type, int mode, long uid, long gid, long mtime, long size, String symlinkTarget,
      int devMajor, int devMinor, Xattrs xattrs) {
    this.type = type;
    this.mode = mode & 07777;
    this.uid = uid;
    this.gid = gid;
    this.mtime = mtime;
    this.size = size;
    this.symlinkTarget = symlinkTarget;
    this.devMajor = devMajor;
    this.devMinor = devMinor;
    this.xattrs = xattrs;
  }

  /** A directory a layer implies by writing below it without an entry of its own (as mkdir -p). */
  static TreeEntry implicitDirectory(long mtime) {
    return new TreeEntry(Type.DIR, 0755, 0, 0, mtime, 0, null, 0, 0, Xattrs.NONE);
  }

  /** The same entry with other owners and attributes (what it records of the disk stays). */
  TreeEntry with(long newUid, long newGid, Xattrs newXattrs) {
    return copy(newUid, newGid, mtime, newXattrs);
  }

  /** The same entry with another mtime. */
  TreeEntry withMtime(long newMtime) {
    return copy(uid, gid, newMtime, xattrs);
  }

  private TreeEntry copy(long newUid, long newGid, long newMtime, Xattrs newXattrs) {
    TreeEntry copy = new TreeEntry(type, mode, newUid, newGid, newMtime, size, symlinkTarget, devMajor, devMinor,
        newXattrs);
    copy.sha256 = sha256;
    copy.inode = inode;
    copy.nlink = nlink;
    copy.ctimeNanos = ctimeNanos;
    return copy;
  }

  /** The type of a tar entry, or null for a hard link or a type a layer cannot hold. */
  static Type typeOf(TarArchiveEntry entry) {
    if (entry.isDirectory()) {
      return Type.DIR;
    } else if (entry.isSymbolicLink()) {
      return Type.SYMLINK;
    } else if (entry.isLink()) {
      return null;
    } else if (entry.isCharacterDevice()) {
      return Type.CHAR;
    } else if (entry.isBlockDevice()) {
      return Type.BLOCK;
    } else if (entry.isFIFO()) {
      return Type.FIFO;
    }
    return entry.isFile() ? Type.FILE : null;
  }

  static TreeEntry fromTar(TarArchiveEntry entry, Type type, Xattrs xattrs) {
    boolean device = type == Type.CHAR || type == Type.BLOCK;
    return new TreeEntry(type, entry.getMode(), entry.getLongUserId(), entry.getLongGroupId(),
        entry.getLastModifiedTime().toInstant().getEpochSecond(),
        type == Type.FILE ? entry.getRealSize() : 0,
        type == Type.SYMLINK ? entry.getLinkName() : null,
        device ? entry.getDevMajor() : 0, device ? entry.getDevMinor() : 0, xattrs);
  }

  /** The entry for a path on disk (never following a symlink), or null for a socket. */
  static TreeEntry fromDisk(Path path) throws IOException {
    // Named attributes only: "unix:*" also looks up the owner's and group's names, for every file.
    Map<String, Object> a = Files.readAttributes(path, DISK_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    Type type = switch (mode & 0170000) {
      case 0040000 -> Type.DIR;
      case 0100000 -> Type.FILE;
      case 0120000 -> Type.SYMLINK;
      case 0020000 -> Type.CHAR;
      case 0060000 -> Type.BLOCK;
      case 0010000 -> Type.FIFO;
      default -> null;
    };
    if (type == null) {
      return null;
    }
    long rdev = (Long) a.get("rdev");
    TreeEntry entry = new TreeEntry(type, mode, ((Integer) a.get("uid")) & 0xffffffffL,
        ((Integer) a.get("gid")) & 0xffffffffL,
        ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond(),
        type == Type.FILE ? (Long) a.get("size") : 0,
        type == Type.SYMLINK ? Files.readSymbolicLink(path).toString() : null,
        (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)),
        (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)),
        diskXattrs(path, type));
    entry.inode = a.get("dev") + ":" + a.get("ino");
    entry.nlink = (Integer) a.get("nlink");
    entry.ctimeNanos = UnpackRecord.nanos((FileTime) a.get("ctime"));
    return entry;
  }

  /** Equal in everything a layer records, except file content, which is compared by hash. */
  boolean sameMetadata(TreeEntry other) {
    if (type != other.type || uid != other.uid || gid != other.gid || mtime != other.mtime
        || !xattrs.equals(other.xattrs)) {
      return false;
    }
    return switch (type) {
      case SYMLINK -> symlinkTarget.equals(other.symlinkTarget);
      case FILE -> mode == other.mode && size == other.size;
      case DIR, FIFO -> mode == other.mode;
      case CHAR, BLOCK -> mode == other.mode && devMajor == other.devMajor && devMinor == other.devMinor;
    };
  }

  boolean sameContent(TreeEntry other) {
    return Arrays.equals(sha256, other.sha256);
  }

  /** The attributes a layer records, read without following a symlink; none where there are none. */
  private static Xattrs diskXattrs(Path path, Type type) throws IOException {
    if (!Posix.available()) { // what java.nio reaches: it opens the file, so not a fifo or device
      boolean opens = type == Type.FILE || type == Type.DIR;
      return opens ? Xattrs.of(UserXattrs.read(path)) : Xattrs.NONE;
    }
    Map<String, byte[]> values = new TreeMap<>();
    for (String name : Posix.listXattrs(path)) {
      if (Xattrs.recorded(name)) {
        byte[] value = Posix.getXattr(path, name);
        if (value != null) { // removed since it was listed
          values.put(name, value);
        }
      }
    }
    return Xattrs.of(values);
  }
}
