package io.imgtool.images;

import io.imgtool.archive.ArchiveFiles;
import io.imgtool.archive.Archives;
import io.imgtool.image.Compression;
import io.imgtool.layer.CompressedInput;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens the files of an archive or layout: a directory and an uncompressed tar file in place,
 * a compressed tar or standard input spooled once to a temporary directory (which closing the
 * files removes).
 */
final class ArchiveSources {
  private static final int BUFFER = 1 << 16;

  private ArchiveSources() {}

  static ArchiveFiles open(Path path, Path tempRoot) throws IOException {
    if (Files.isDirectory(path)) {
      return Archives.directory(path);
    }
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), BUFFER)) {
      if (CompressedInput.detect(in, path.toString()) == Compression.NONE) {
        return Archives.tarFile(path);
      }
      return spool(in, tempRoot, path.toString());
    }
  }

  /** An archive on standard input (plain, gzip or zstd). */
  static ArchiveFiles open(InputStream stdin, Path tempRoot) throws IOException {
    return spool(stdin, tempRoot, "standard input");
  }

  private static ArchiveFiles spool(InputStream in, Path tempRoot, String name) throws IOException {
    return Archives.spool(CompressedInput.open(in, name), tempRoot, name);
  }
}
