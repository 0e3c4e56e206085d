package io.imgtool.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A layer or rootfs tarball named on the command line: a file, or "-" for stdin. */
record LayerInput(String argument, Path path) {

  static LayerInput of(String argument) {
    if (argument.equals("-")) {
      return new LayerInput(argument, null);
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
    return new LayerInput(argument, path);
  }

  /** The name history and errors use: the file name, never the full local path. */
  String displayName() {
    return path == null ? "-" : path.getFileName().toString();
  }

  long size() throws IOException {
    return path == null ? -1 : Files.size(path);
  }

  InputStream open(Environment environment) throws IOException {
    InputStream in = path == null ? environment.stdin() : Files.newInputStream(path);
    return new BufferedInputStream(in, 1 << 16);
  }
}
