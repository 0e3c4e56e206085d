package io.imgtool.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Copies every byte read (or skipped) to a sink, exactly once and in order, so the sink receives
 * the input byte for byte. Mark/reset is refused: a re-read would copy bytes twice. A failing sink
 * surfaces as {@link UncheckedIOException}, so callers can tell it from a bad input.
 */
final class TeeInputStream extends FilterInputStream {
  private final OutputStream sink;
  private final byte[] scratch = new byte[64 * 1024];

  TeeInputStream(InputStream in, OutputStream sink) {
    super(in);
    this.sink = sink;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      copy(new byte[] {(byte) b}, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      copy(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return CountingInputStream.skipByReading(this, n, scratch);
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

  private void copy(byte[] b, int off, int len) {
    try {
      sink.write(b, off, len);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
