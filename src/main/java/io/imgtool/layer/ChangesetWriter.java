package io.imgtool.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes planned changeset entries as a tar the way Docker's does ({@link TarWriter}): PAX
 * records for long and non-ASCII names, big sizes and ids, and xattrs with their exact bytes;
 * numeric owners only and whole-second mtimes, so the same directory always gives the same bytes.
 */
final class ChangesetWriter {
  private static final SortedMap<String, byte[]> NO_XATTRS = new TreeMap<>();

  private ChangesetWriter() {}

  static void write(List<PlannedEntry> plan, OutputStream out, Instant clamp) throws IOException {
    TarWriter tar = new TarWriter(out);
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

  private static void marker(TarWriter tar, String name) throws IOException {
    tar.putEntry(new TarHeader(name, TarHeader.REGULAR, 0644, 0, 0, 0, 0, null, 0, 0, NO_XATTRS));
    tar.closeEntry();
  }

  private static void object(TarWriter tar, PlannedEntry planned, Instant clamp) throws IOException {
    TreeEntry meta = planned.entry;
    long mtime = clamp == null ? meta.mtime : Math.min(meta.mtime, clamp.getEpochSecond());
    boolean content = meta.type == TreeEntry.Type.FILE && planned.hardLinkTo == null;
    String link = planned.hardLinkTo != null ? planned.hardLinkTo
        : meta.type == TreeEntry.Type.SYMLINK ? meta.symlinkTarget : null;
    tar.putEntry(new TarHeader(nameOf(planned), typeOf(planned), meta.mode, meta.uid, meta.gid, mtime,
        content ? meta.size : 0, link, meta.devMajor, meta.devMinor, meta.xattrs.asMap()));
    if (content) {
      copyExactly(planned, tar);
    }
    tar.closeEntry();
  }

  /** The file's bytes, which must still be as many as when it was compared. */
  private static void copyExactly(PlannedEntry planned, TarWriter tar) throws IOException {
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

  private static String nameOf(PlannedEntry planned) {
    return planned.entry.type == TreeEntry.Type.DIR ? planned.path + "/" : planned.path;
  }

  private static byte typeOf(PlannedEntry planned) {
    if (planned.hardLinkTo != null) {
      return TarHeader.HARD_LINK;
    }
    return switch (planned.entry.type) {
      case FILE -> TarHeader.REGULAR;
      case DIR -> TarHeader.DIRECTORY;
      case SYMLINK -> TarHeader.SYMLINK;
      case CHAR -> TarHeader.CHAR_DEVICE;
      case BLOCK -> TarHeader.BLOCK_DEVICE;
      case FIFO -> TarHeader.FIFO;
    };
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
