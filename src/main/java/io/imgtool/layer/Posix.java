package io.imgtool.layer;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The libc calls Java 17 lacks and layers need: extended attributes of every namespace as raw
 * bytes, device nodes and fifos without exec'ing mknod, and mode and times set without opening
 * the file. Bound through JNA direct mapping on first use, so commands that never call these
 * never load JNA. Linux on a 64-bit JVM only.
 */
final class Posix {
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  /** Java's own file-name charset, so a path names the same file here as in java.nio. */
  private static final Charset PATH_CHARSET = pathCharset();

  private Posix() {}

  /** Whether the calls below can run; false, for instance, when /tmp is mounted noexec. */
  static boolean available() {
    return Libc.FAILURE == null;
  }

  /** Why the calls are unavailable, in a user's words, with the way out. */
  static String unavailableReason() {
    return "native file calls are unavailable: " + Libc.FAILURE.getMessage()
        + "; if the temporary directory is mounted noexec, set -Djna.tmpdir to one that is not"
        + " (IMGTOOL_JAVA_OPTS)";
  }

  /** The names of the path's xattrs, never following a symlink; none where unsupported. */
  static List<String> listXattrs(Path path) throws IOException {
    requireAvailable();
    byte[] file = encode(path);
    while (true) {
      long size = Libc.llistxattr(file, null, 0);
      if (size <= 0) {
        return size == 0 ? List.of() : noneIfUnsupported(path, "llistxattr");
      }
      byte[] names = new byte[(int) size];
      long got = Libc.llistxattr(file, names, size);
      if (got >= 0) {
        return splitNames(names, (int) got);
      }
      if (Native.getLastError() != PosixException.ERANGE) { // ERANGE: the list grew meanwhile
        return noneIfUnsupported(path, "llistxattr");
      }
    }
  }

  /** The xattr's value as raw bytes, or null when the path has no such xattr. */
  static byte[] getXattr(Path path, String name) throws IOException {
    requireAvailable();
    byte[] file = encode(path);
    byte[] key = encodeName(name);
    while (true) {
      long size = Libc.lgetxattr(file, key, null, 0);
      if (size < 0) {
        return nullIfMissing(path, "lgetxattr " + name);
      }
      byte[] value = new byte[(int) size];
      long got = Libc.lgetxattr(file, key, value, size);
      if (got >= 0) {
        return got == size ? value : Arrays.copyOf(value, (int) got);
      }
      if (Native.getLastError() != PosixException.ERANGE) { // ERANGE: the value grew meanwhile
        return nullIfMissing(path, "lgetxattr " + name);
      }
    }
  }

  /** Sets (creating or replacing) the xattr on the path itself, never on a symlink's target. */
  static void setXattr(Path path, String name, byte[] value) throws IOException {
    requireAvailable();
    if (Libc.lsetxattr(encode(path), encodeName(name), value, value.length, 0) != 0) {
      throw failure(path, "lsetxattr " + name);
    }
  }

  /**
   * Makes a fifo or device node; {@code mode} holds the type bits (S_IFIFO 0010000, S_IFCHR
   * 0020000, S_IFBLK 0060000) and the permission bits, which the umask trims as usual.
   */
  static void mknod(Path path, int mode, int major, int minor) throws IOException {
    requireAvailable();
    byte[] file = encode(path);
    long dev = makedev(major, minor);
    int result = Mknodat.FAILURE == null
        ? Mknodat.mknodat(AT_FDCWD, file, mode, dev)
        : legacyMknodat(file, mode, dev);
    if (result != 0) {
      throw failure(path, "mknodat");
    }
  }

  /** The pre-2.33 glibc route of {@link #mknod}; package-private so tests can take it. */
  static void legacyMknod(Path path, int mode, int major, int minor) throws IOException {
    requireAvailable();
    if (legacyMknodat(encode(path), mode, makedev(major, minor)) != 0) {
      throw failure(path, "__xmknodat");
    }
  }

  /**
   * Sets the permission bits without opening the file, which for a fifo would block. Follows a
   * symlink: Linux keeps no mode on symlinks.
   */
  static void chmod(Path path, int mode) throws IOException {
    requireAvailable();
    if (Libc.fchmodat(AT_FDCWD, encode(path), mode, 0) != 0) {
      throw failure(path, "fchmodat");
    }
  }

  /** Sets atime and mtime of the path itself (a symlink, fifo or device too) without opening it. */
  static void setTimes(Path path, long epochSeconds, int nanos) throws IOException {
    if (nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("nanoseconds out of range: " + nanos);
    }
    requireAvailable();
    long[] times = {epochSeconds, nanos, epochSeconds, nanos}; // struct timespec[2] on LP64
    if (Libc.utimensat(AT_FDCWD, encode(path), times, AT_SYMLINK_NOFOLLOW) != 0) {
      throw failure(path, "utimensat");
    }
  }

  /** glibc's makedev: 12 bits of major and 20 of minor in the classic places, the rest above. */
  static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32)
        | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
  }

  private static int legacyMknodat(byte[] file, int mode, long dev) throws IOException {
    if (XMknodat.FAILURE != null) {
      throw new IOException("cannot make device nodes: libc has neither mknodat nor __xmknodat ("
          + XMknodat.FAILURE.getMessage() + ")");
    }
    return XMknodat.__xmknodat(XMknodat.MKNOD_VERSION, AT_FDCWD, file, mode, new long[] {dev});
  }

  private static void requireAvailable() throws IOException {
    if (Libc.FAILURE != null) {
      throw new IOException(unavailableReason());
    }
  }

  private static List<String> noneIfUnsupported(Path path, String call) throws PosixException {
    PosixException failure = failure(path, call);
    if (failure.isUnsupported()) {
      return List.of();
    }
    throw failure;
  }

  private static byte[] nullIfMissing(Path path, String call) throws PosixException {
    PosixException failure = failure(path, call);
    if (failure.errno() == PosixException.ENODATA) {
      return null;
    }
    throw failure;
  }

  /** Reads errno first: anything else that runs in this thread could change it. */
  private static PosixException failure(Path path, String call) {
    int errno = Native.getLastError();
    return new PosixException(path.toString(), call, errno, describe(errno));
  }

  private static String describe(int errno) {
    Pointer message = Libc.strerror(errno);
    return message == null ? "errno " + errno : message.getString(0, PATH_CHARSET.name());
  }

  private static List<String> splitNames(byte[] names, int length) {
    List<String> list = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (names[i] == 0) {
        list.add(new String(names, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return list;
  }

  private static byte[] encode(Path path) {
    return terminated(path.toString().getBytes(PATH_CHARSET));
  }

  private static byte[] encodeName(String name) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid xattr name: \"" + name + "\"");
    }
    return terminated(name.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] terminated(byte[] bytes) {
    return Arrays.copyOf(bytes, bytes.length + 1);
  }

  private static Charset pathCharset() {
    try {
      String name = System.getProperty("sun.jnu.encoding");
      return name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }

  /** The reason a class of native methods could not be bound, or null once it is. */
  private static Throwable bind(Class<?> functions) {
    if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
      return new UnsupportedOperationException("only Linux on a 64-bit JVM is supported, not "
          + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }
    try {
      Native.register(functions, Platform.C_LIBRARY_NAME);
      return null;
    } catch (LinkageError | RuntimeException e) { // e.g. jnidispatch not loadable from a noexec tmp
      return e;
    }
  }

  /** libc's functions; size_t, ssize_t and time_t are Java longs on LP64. */
  private static final class Libc {
    private static final String SEARCH_PATH = "jna.platform.library.path";
    static final Throwable FAILURE = bindAll();

    private static Throwable bindAll() {
      // libc is the process's own image; without this JNA runs "ldconfig -p" to build a search
      // path for other libraries, which took more time than the rest of its loading.
      if (System.getProperty(SEARCH_PATH) == null) {
        System.setProperty(SEARCH_PATH, "");
      }
      try {
        return bind(Libc.class);
      } catch (LinkageError e) { // JNA's own classes failed to load
        return e;
      }
    }

    static native long llistxattr(byte[] path, byte[] list, long size);

    static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size);

    static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags);

    static native int fchmodat(int dirfd, byte[] path, int mode, int flags);

    static native int utimensat(int dirfd, byte[] path, long[] times, int flags);

    static native Pointer strerror(int errnum);
  }

  /** mknodat is a libc symbol from glibc 2.33 on; bound apart so older ones can fall back. */
  private static final class Mknodat {
    static final Throwable FAILURE = bind(Mknodat.class);

    static native int mknodat(int dirfd, byte[] path, int mode, long dev);
  }

  /** Before glibc 2.33 mknodat was an inline wrapper around this versioned entry point. */
  private static final class XMknodat {
    /** _MKNOD_VER on 64-bit Linux; glibc answers EINVAL to any other. */
    static final int MKNOD_VERSION = 0;
    static final Throwable FAILURE = bind(XMknodat.class);

    static native int __xmknodat(int version, int dirfd, byte[] path, int mode, long[] dev);
  }
}
