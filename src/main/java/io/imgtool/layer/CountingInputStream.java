package io.imgtool.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read through it; {@link #drain} reads what is left. No mark/reset. */
final class CountingInputStream extends FilterInputStream {
  private final byte[] scratch = new byte[64 * 1024];
  private long count;

  CountingInputStream(InputStream in) {
    super(in);
  }

  long count() {
    return count;
  }

  /** Reads to the end of the stream, so layers below (a tee, a digest) see every byte. */
  void drain() throws IOException {
    while (read(scratch, 0, scratch.length) >= 0) {
      // the bytes matter to the streams below, not here
    }
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return skipByReading(this, n, scratch);
  }

  /** Skips by reading, so every skipped byte still flows through the streams below. */
  static long skipByReading(InputStream in, long n, byte[] scratch) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      int read = in.read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }
}
