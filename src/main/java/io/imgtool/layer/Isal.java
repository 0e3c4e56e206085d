package io.imgtool.layer;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Intel's ISA-L deflate (Debian package libisal2), bound through JNA direct mapping on first use.
 * It streams, takes a preset dictionary and sync-flushes, so it keeps the pigz block scheme of
 * {@link ParallelGzipOutputStream}, and it deflates about ten times as fast as zlib at level 6 for
 * a few percent more output. When it cannot be loaded, gzip layers are deflated by zlib instead.
 *
 * <p>{@code struct isal_zstream} is used through the offsets of its fields on LP64, which the
 * library's soname (libisal.so.2) keeps stable.
 */
final class Isal {
  static final String LIBRARY = "libisal.so.2";
  /** The ISA-L level used: its best ratio; levels 1 and 2 give ~2% more output for ~30% less time. */
  static final int LEVEL = 3;
  /** ISAL_DEF_LVL3_DEFAULT of the 2.x headers. The size changes the output, so it is fixed here. */
  static final int LEVEL_BUFFER_SIZE = 348_160;
  /** sizeof(struct isal_zstream) in the 2.x headers. */
  static final int STREAM_SIZE = 82_384;

  static final int NEXT_IN = 0;
  static final int AVAIL_IN = 8;
  static final int NEXT_OUT = 16;
  static final int AVAIL_OUT = 24;
  static final int TOTAL_OUT = 28;
  static final int LEVEL_FIELD = 40;
  static final int LEVEL_BUF_SIZE = 44;
  static final int LEVEL_BUF = 48;
  static final int END_OF_STREAM = 56;
  static final int FLUSH = 58;
  static final int GZIP_FLAG = 60;
  static final int STATE = 84;

  static final short SYNC_FLUSH = 1;
  static final short NO_FLUSH = 0;
  static final int COMP_OK = 0;
  /** enum isal_zstate_state: the stream has ended (after end_of_stream). */
  static final int ZSTATE_END = 11;

  private static final Throwable FAILURE = bind();

  private Isal() {}

  /** Whether the library is loaded and bound. */
  static boolean available() {
    return FAILURE == null;
  }

  /** Why it is not, for a debug message; null when it is. */
  static Throwable failure() {
    return FAILURE;
  }

  private static Throwable bind() {
    try {
      if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
        return new UnsupportedOperationException("ISA-L is used on 64-bit Linux only");
      }
    } catch (LinkageError e) { // JNA's own native part failed to load (e.g. a noexec temporary directory)
      return e;
    }
    // The library is found by its soname, as the dynamic linker finds it; without this JNA would
    // first run "ldconfig -p" to build a search path it does not need (see Posix).
    if (System.getProperty("jna.platform.library.path") == null) {
      System.setProperty("jna.platform.library.path", "");
    }
    try {
      Native.register(Isal.class, LIBRARY);
      return null;
    } catch (LinkageError | RuntimeException e) { // not installed, or JNA cannot load
      return e;
    }
  }

  static native void isal_deflate_init(Pointer stream);

  static native int isal_deflate_set_dict(Pointer stream, byte[] dict, int length);

  static native int isal_deflate(Pointer stream);
}
