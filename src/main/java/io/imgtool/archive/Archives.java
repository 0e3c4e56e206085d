package io.imgtool.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Opens the files of an image archive or layout, in place where the format allows. */
public final class Archives {
  private Archives() {}

  /** An OCI layout directory, or an archive already extracted. */
  public static ArchiveFiles directory(Path dir) {
    return new DirectoryFiles(dir, dir.toString());
  }

  /** An uncompressed tar file, read in place. */
  public static ArchiveFiles tarFile(Path file) throws IOException {
    return TarFiles.open(file);
  }

  /**
   * An uncompressed tar that can be read only once (standard input, a decompressing stream),
   * written to a temporary directory under {@code tempRoot} as it streams; closing removes it.
   */
  public static ArchiveFiles spool(InputStream tar, Path tempRoot, String name) throws IOException {
    return SpooledFiles.spool(tar, tempRoot, name);
  }
}
