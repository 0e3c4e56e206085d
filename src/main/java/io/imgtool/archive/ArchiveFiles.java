package io.imgtool.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/** The files of an image archive or layout, by their slash-separated path in it. */
public interface ArchiveFiles extends Closeable {
  boolean exists(String path);

  /** Opens a file; {@link NoSuchFileException} when the archive has none at that path. */
  InputStream open(String path) throws IOException;

  /** A small file (a JSON document) whole; larger than {@code max} bytes is refused. */
  default byte[] read(String path, int max) throws IOException {
    try (InputStream in = open(path)) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new ArchiveException(path + " in " + this + " is larger than " + max + " bytes, too large for what it"
            + " should be");
      }
      return bytes;
    }
  }
}
