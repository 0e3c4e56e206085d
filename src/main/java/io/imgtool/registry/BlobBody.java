package io.imgtool.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The bytes of a blob to upload, opened afresh for every attempt. */
@FunctionalInterface
public interface BlobBody {
  InputStream open() throws IOException;

  default InputStream openUnchecked() {
    try {
      return open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
