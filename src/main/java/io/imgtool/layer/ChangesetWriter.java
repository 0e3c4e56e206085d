package io.imgtool.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes planned changeset entries as a tar: PAX headers for long and non-ASCII names, sizes
 * over 8 GiB, large ids and xattrs; numeric owners only and whole-second mtimes, so the same
 * directory always gives the same bytes.
 */
final class ChangesetWriter {
  private ChangesetWriter() {}

  static void write(List<PlannedEntry> plan, OutputStream out, Instant clamp) throws IOException {
    TarArchiveOutputStream tar = open(out);
    for (PlannedEntry planned : plan) {
      switch (planned.kind) {
        case OPAQUE -> marker(tar, join(planned.path, Whiteout.OPAQUE));
        case WHITEOUT -> marker(tar, Whiteout.of(planned.path));
        case OBJECT -> object(tar, planned, clamp);
      }
    }
    tar.finish();
    tar.flush();
  }

  static TarArchiveOutputStream open(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    return tar;
  }

  private static void marker(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry entry = newEntry(name, TarConstants.LF_NORMAL, 0, 0, 0644, 0);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static void object(TarArchiveOutputStream tar, PlannedEntry planned, Instant clamp)
      throws IOException {
    TreeEntry meta = planned.entry;
    long mtime = clamp == null ? meta.mtime : Math.min(meta.mtime, clamp.getEpochSecond());
    TarArchiveEntry entry = newEntry(nameOf(planned), flagOf(planned), meta.uid, meta.gid, meta.mode, mtime);
    meta.xattrs.forEach((name, value) -> entry.addPaxHeader(TreeEntry.XATTR_PAX + name, value));
    switch (meta.type) {
      case SYMLINK -> entry.setLinkName(meta.symlinkTarget);
      case CHAR, BLOCK -> {
        entry.setDevMajor(meta.devMajor);
        entry.setDevMinor(meta.devMinor);
      }
      default -> { }
    }
    boolean content = meta.type == TreeEntry.Type.FILE && planned.hardLinkTo == null;
    if (planned.hardLinkTo != null) {
      entry.setLinkName(planned.hardLinkTo);
    } else if (content) {
      entry.setSize(meta.size);
    }
    tar.putArchiveEntry(entry);
    if (content) {
      copyExactly(planned, tar);
    }
    tar.closeArchiveEntry();
  }

  /** The file's bytes, which must still be as many as when it was compared. */
  private static void copyExactly(PlannedEntry planned, OutputStream tar) throws IOException {
    try (InputStream in = Files.newInputStream(planned.file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[1 << 16];
      long left = planned.entry.size;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          break;
        }
        tar.write(buffer, 0, n);
        left -= n;
      }
      if (left != 0 || in.read() >= 0) {
        throw new IOException(planned.file + " changed size while it was being committed; "
            + "commit a directory that nothing is writing to");
      }
    }
  }

  private static TarArchiveEntry newEntry(String name, byte flag, long uid, long gid, int mode, long mtime) {
    TarArchiveEntry entry = new TarArchiveEntry(name, flag);
    entry.setUserId(uid);
    entry.setGroupId(gid);
    entry.setUserName(""); // numeric owners only: names would depend on the host's passwd
    entry.setGroupName("");
    entry.setMode(mode);
    entry.setModTime(FileTime.from(mtime, TimeUnit.SECONDS));
    return entry;
  }

  private static String nameOf(PlannedEntry planned) {
    return planned.entry.type == TreeEntry.Type.DIR ? planned.path + "/" : planned.path;
  }

  private static byte flagOf(PlannedEntry planned) {
    if (planned.hardLinkTo != null) {
      return TarConstants.LF_LINK;
    }
    return switch (planned.entry.type) {
      case FILE -> TarConstants.LF_NORMAL;
      case DIR -> TarConstants.LF_DIR;
      case SYMLINK -> TarConstants.LF_SYMLINK;
      case CHAR -> TarConstants.LF_CHR;
      case BLOCK -> TarConstants.LF_BLK;
      case FIFO -> TarConstants.LF_FIFO;
    };
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
