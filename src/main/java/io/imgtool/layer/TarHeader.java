package io.imgtool.layer;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link TarWriter} records of one entry. {@code type} is the tar typeflag byte;
 * {@code xattrs} are keyed by full name ("security.capability") with raw byte values, and are
 * written as PAX records "SCHILY.xattr.NAME". Owners are numeric only; mtime is whole seconds.
 * The constructor copies {@code xattrs} (values too) and refuses what a tar cannot carry.
 */
record TarHeader(String name, byte type, int mode, long uid, long gid, long mtimeSeconds, long size,
    String linkName, int devMajor, int devMinor, SortedMap<String, byte[]> xattrs) {
  static final byte REGULAR = '0';
  static final byte HARD_LINK = '1';
  static final byte SYMLINK = '2';
  static final byte CHAR_DEVICE = '3';
  static final byte BLOCK_DEVICE = '4';
  static final byte DIRECTORY = '5';
  static final byte FIFO = '6';
  /** The mode field holds 7 octal digits and has no PAX key. */
  private static final int MAX_MODE = 07777777;

  TarHeader {
    if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid entry name: \"" + name + "\"");
    }
    if (type < REGULAR || type > FIFO) {
      throw new IllegalArgumentException(name + ": unsupported typeflag " + (char) type);
    }
    if (name.endsWith("/") && type != DIRECTORY && type != HARD_LINK && type != SYMLINK) {
      throw new IllegalArgumentException(name + ": only a directory's name may end in /"); // as Go refuses
    }
    linkName = linkName == null ? "" : linkName;
    if (linkName.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(name + ": link name contains NUL");
    }
    requireRange(name, "mode", mode, MAX_MODE);
    requireRange(name, "uid", uid, Long.MAX_VALUE);
    requireRange(name, "gid", gid, Long.MAX_VALUE);
    requireRange(name, "size", size, type == REGULAR ? Long.MAX_VALUE : 0);
    requireRange(name, "device major", devMajor, Integer.MAX_VALUE);
    requireRange(name, "device minor", devMinor, Integer.MAX_VALUE);
    xattrs = copyOf(name, xattrs);
  }

  /** Only regular files carry content; every other type is a header alone. */
  boolean hasContent() {
    return type == REGULAR;
  }

  private static void requireRange(String name, String field, long value, long max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + ": " + field + " " + value + " out of range 0.." + max);
    }
  }

  private static SortedMap<String, byte[]> copyOf(String name, SortedMap<String, byte[]> xattrs) {
    SortedMap<String, byte[]> copy = new TreeMap<>();
    if (xattrs != null) {
      for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
        String key = xattr.getKey();
        if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
          throw new IllegalArgumentException(name + ": xattr name cannot be a PAX key: \"" + key + "\"");
        }
        copy.put(key, xattr.getValue().clone());
      }
    }
    return Collections.unmodifiableSortedMap(copy);
  }
}
