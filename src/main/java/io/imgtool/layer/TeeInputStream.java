package io.imgtool.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Copies every byte read (or skipped) to a sink, exactly once and in order, so the sink receives
 * the input byte for byte. Copies are gathered into chunks of {@link #CHUNK_SIZE} (a tar parser
 * reads 512-byte headers; digests and compressors prefer big writes); the sink has everything once
 * a read has returned end of stream, or after {@link #close}. Mark/reset is refused: a re-read would
 * copy bytes twice. A failing sink surfaces as {@link UncheckedIOException}, so callers can tell it
 * from a bad input.
 */
final class TeeInputStream extends FilterInputStream {
  static final int CHUNK_SIZE = 64 * 1024;

  private final OutputStream sink;
  private final byte[] pending = new byte[CHUNK_SIZE];
  private final byte[] scratch = new byte[CHUNK_SIZE];
  private int pendingLength;

  TeeInputStream(InputStream in, OutputStream sink) {
    super(in);
    this.sink = sink;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      copy(b, off, n);
    } else if (n < 0) {
      writePending();
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

  @Override
  public void close() throws IOException {
    writePending();
    super.close();
  }

  private void copy(byte[] b, int off, int len) {
    if (pendingLength + len > CHUNK_SIZE) {
      writePending();
    }
    if (len >= CHUNK_SIZE) {
      write(b, off, len);
    } else {
      System.arraycopy(b, off, pending, pendingLength, len);
      pendingLength += len;
    }
  }

  private void writePending() {
    if (pendingLength > 0) {
      write(pending, 0, pendingLength);
      pendingLength = 0;
    }
  }

  private void write(byte[] b, int off, int len) {
    try {
      sink.write(b, off, len);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
