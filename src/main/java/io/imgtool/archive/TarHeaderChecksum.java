package io.imgtool.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Commons Compress reads a tar header whose checksum is wrong as if it were right; GNU tar and
 * Python refuse such an archive, and so does imgtool (its check accepts the signed sum old tars
 * wrote, as GNU tar does).
 */
final class TarHeaderChecksum {
  private TarHeaderChecksum() {}

  static void require(TarArchiveEntry entry, String archive) {
    if (!entry.isCheckSumOK()) {
      throw new ArchiveException(archive + " is corrupt: the tar header of \"" + entry.getName()
          + "\" has a wrong checksum");
    }
  }
}
