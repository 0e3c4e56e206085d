package io.imgtool.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** An archive's files as a directory holds them: an OCI layout, or an archive spooled to disk. */
final class DirectoryFiles implements ArchiveFiles {
  private final Path root;
  private final String name;

  DirectoryFiles(Path root, String name) {
    this.root = root;
    this.name = name;
  }

  @Override
  public boolean exists(String path) {
    return ArchivePaths.isSafe(path) && Files.isRegularFile(root.resolve(path), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public InputStream open(String path) throws IOException {
    if (!ArchivePaths.isSafe(path)) {
      throw new ArchiveException(name + " names the file \"" + path + "\", which is outside it");
    }
    return Files.newInputStream(root.resolve(path), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return name;
  }
}
