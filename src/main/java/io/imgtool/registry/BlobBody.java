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
}
