package io.imgtool.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An archive that can only be read once, front to back (standard input, a compressed file):
 * its files are written to a temporary directory as they stream by, once, and read from there;
 * closing removes the directory. Names are numbered, never taken from the archive, so no entry
 * can write anywhere else.
 */
final class SpooledFiles implements ArchiveFiles {
  private final TemporaryDirectory temp;
  private final Path dir;
  private final String name;
  private final ArchiveLinks<Path> entries = new ArchiveLinks<>();

  private SpooledFiles(TemporaryDirectory temp, String name) {
    this.temp = temp;
    this.dir = temp.path();
    this.name = name;
  }

  /** Reads the uncompressed tar {@code in} to its end into a new directory under {@code tempRoot}. */
  static SpooledFiles spool(InputStream in, Path tempRoot, String name) throws IOException {
    SpooledFiles files = new SpooledFiles(TemporaryDirectory.create(tempRoot, "imgtool-archive-"), name);
    try {
      files.read(new TarArchiveInputStream(in, StandardCharsets.UTF_8.name()));
      return files;
    } catch (IOException | RuntimeException e) {
      files.close();
      if (e instanceof ArchiveException) {
        throw e;
      }
      throw new ArchiveException(name + " is not a complete tar archive (" + e.getMessage() + ")", e);
    }
  }

  private void read(TarArchiveInputStream tar) throws IOException {
    long count = 0;
    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
      TarHeaderChecksum.require(entry, name);
      String path = ArchivePaths.clean(entry.getName());
      if (entry.isFile()) {
        Path file = dir.resolve(Long.toString(count++));
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
          tar.transferTo(out);
        }
        entries.file(path, file);
      } else if (entry.isSymbolicLink() || entry.isLink()) {
        entries.link(path, entry.getLinkName(), entry.isSymbolicLink());
      }
    }
  }

  @Override
  public boolean exists(String path) {
    return entries.find(path) != null;
  }

  @Override
  public InputStream open(String path) throws IOException {
    Path file = entries.find(path);
    if (file == null) {
      throw new NoSuchFileException(path, null, "not in " + name);
    }
    return Files.newInputStream(file);
  }

  @Override
  public void close() throws IOException {
    temp.close();
  }

  @Override
  public String toString() {
    return name;
  }
}
