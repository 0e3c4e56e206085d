package io.imgtool.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** The next {@code length} bytes of a stream, as one chunk of an upload reads them. */
final class BoundedStream extends FilterInputStream {
  private final boolean closesSource;
  private final LongConsumer consumed;
  private long left;

  /**
   * @param closesSource whether closing this closes the stream under it (not when the next chunk
   *     reads on from there)
   * @param consumed told how many bytes each read took from the stream under it
   */
  BoundedStream(InputStream source, long length, boolean closesSource, LongConsumer consumed) {
    super(source);
    this.left = length;
    this.closesSource = closesSource;
    this.consumed = consumed;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (left <= 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
      consumed.accept(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(Math.min(n, left));
    left -= skipped;
    consumed.accept(skipped);
    return skipped;
  }

  @Override
  public void close() throws IOException {
    if (closesSource) {
      in.close();
    }
  }
}
