package io.imgtool.images;

import java.io.IOException;
import java.io.InputStream;

/**
 * A layer tarball given to import or commit: a file or standard input.
 *
 * @param argument as the user wrote it, for messages
 * @param displayName what history records: the file name, never the full local path ("-" for stdin)
 * @param size its size in bytes, or -1 when unknown (stdin)
 */
public record LayerSource(String argument, String displayName, long size, Opener opener) {
  /** Opens the bytes; called once. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  InputStream open() throws IOException {
    return opener.open();
  }
}
