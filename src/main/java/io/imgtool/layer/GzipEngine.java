package io.imgtool.layer;

import java.util.function.Supplier;

/**
 * The deflate that compresses a gzip layer's blocks, and the gzip header's XFL byte for it. The
 * blob's bytes, hence its digest, depend on the engine (and on the library's version), never on the
 * number of threads.
 *
 * @param name says which engine, in words, for messages and the benchmark
 */
record GzipEngine(String name, byte extraFlags, Supplier<BlockDeflater> deflaters) {
  /** zlib's level when none is asked for and ISA-L is not available: gzip's own default. */
  static final int DEFAULT_ZLIB_LEVEL = 6;

  /** zlib (java.util.zip) at {@code level}, 1-9: the bytes imgtool wrote before ISA-L. */
  static GzipEngine zlib(int level) {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("gzip compression level must be 1-9, got " + level);
    }
    byte xfl = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0);
    return new GzipEngine("zlib level " + level, xfl, () -> new ZlibBlockDeflater(level));
  }

  /** ISA-L; only when {@link Isal#available()}. */
  static GzipEngine isal() {
    return new GzipEngine("ISA-L level " + Isal.LEVEL, (byte) 0, IsalBlockDeflater::new);
  }

  /** What a layer is compressed with when no level is asked for. */
  static GzipEngine preferred() {
    return preferred(Isal.available());
  }

  /** ISA-L when it is loaded, else zlib at gzip's default level, as before ISA-L was used. */
  static GzipEngine preferred(boolean isalAvailable) {
    return isalAvailable ? isal() : zlib(DEFAULT_ZLIB_LEVEL);
  }
}
