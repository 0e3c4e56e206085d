package io.imgtool.registry;

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
    return new BoundedStream(in, length, true, n -> { });
  }
}
