package io.imgtool.layer;

/**
 * Deflates one block of a {@link ParallelGzipOutputStream}: raw deflate (no zlib or gzip wrapper),
 * primed with the previous block's last 32 KiB, ending on a byte boundary (a sync flush) unless it
 * is the last block, which ends the deflate stream. One deflater serves one thread at a time.
 */
interface BlockDeflater extends AutoCloseable {

  /**
   * Compresses {@code input[0, length)} into {@code output}, or into a larger array when it does
   * not fit, and returns the array used and the number of bytes in it.
   *
   * @param window the end of the previous block, or an empty array for the first block
   */
  Deflated deflate(byte[] input, int length, byte[] window, boolean last, byte[] output);

  /** Frees what the deflater holds outside the Java heap. */
  @Override
  void close();

  /** Compressed bytes: {@code output[0, length)}. */
  record Deflated(byte[] output, int length) {}
}
