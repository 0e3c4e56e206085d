package io.imgtool.cli;

import io.imgtool.images.LayerSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A layer or rootfs tarball named on the command line: a file, or "-" for stdin. */
final class LayerInput {
  private LayerInput() {}

  /** The tarball {@code argument} names; a missing or unreadable file is a usage error. */
  static LayerSource of(String argument, Environment environment) throws IOException {
    if (argument.equals("-")) {
      return new LayerSource(argument, "-", -1, () -> buffered(environment.stdin()));
    }
    Path path = Path.of(argument);
    if (!Files.exists(path)) {
      throw new UsageException(argument + ": no such file");
    }
    if (Files.isDirectory(path)) {
      throw new UsageException(argument + " is a directory; give a tar file (plain, gzip or zstd)");
    }
    if (!Files.isReadable(path)) {
      throw new UsageException(argument + ": permission denied");
    }
    // The file name, never the full local path: history records it.
    return new LayerSource(argument, path.getFileName().toString(), Files.size(path),
        () -> buffered(Files.newInputStream(path)));
  }

  private static InputStream buffered(InputStream in) {
    return new BufferedInputStream(in, 1 << 16);
  }
}
