package io.imgtool.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** The bytes of a blob to upload, opened afresh for every attempt. */
@FunctionalInterface
public interface BlobBody {
  InputStream open() throws IOException;

  /** The file that holds exactly these bytes, when there is one; it is sent by mapped slices. */
  default Optional<Path> file() {
    return Optional.empty();
  }

  default InputStream openUnchecked() {
    try {
      return open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code length} bytes from {@code offset}: a chunk, or the part of the blob the registry
   * lacks. The bytes before it are read and dropped: a stream (a layer fetched from another
   * registry) cannot seek.
   */
  default InputStream openUnchecked(long offset, long length) {
    InputStream in = openUnchecked();
    try {
      in.skipNBytes(offset);
    } catch (IOException e) {
      try {
        in.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw new UncheckedIOException(e);
    }
    return new FilterInputStream(in) {
      private long left = length;

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
        int n = super.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }
}
