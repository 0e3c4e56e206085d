package io.imgtool.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob body that is a stream (a layer fetched from another registry as it is pushed), read once
 * from start to end across the chunks of an upload: each chunk continues the same stream, which
 * is opened again, and skipped to the offset, only when a chunk starts elsewhere (after a failure,
 * or resuming a session). Opening it afresh per chunk would fetch the layer again for every chunk.
 */
final class SequentialBody implements BlobBody, AutoCloseable {
  private final BlobBody source;
  private InputStream in;
  private long position;

  SequentialBody(BlobBody source) {
    this.source = source;
  }

  @Override
  public InputStream open() throws IOException {
    return source.open();
  }

  @Override
  public synchronized InputStream openUnchecked(long offset, long length) {
    if (in == null || position != offset) {
      close();
      in = source.openUnchecked(offset, Long.MAX_VALUE);
      position = offset;
    }
    return new BoundedStream(in, length, false, this::advance);
  }

  private synchronized void advance(long n) {
    position += n;
  }

  @Override
  public synchronized void close() {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // read-only: nothing is lost
      }
      in = null;
    }
  }
}
