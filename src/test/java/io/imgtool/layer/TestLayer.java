package io.imgtool.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds a layer tar in memory, entry by entry, for tests. */
final class TestLayer {
  static final long MTIME = 1577836800L; // 2020-01-01T00:00:00Z

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8");

  TestLayer() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  TestLayer dir(String name) {
    return dir(name, 0755, 0, 0);
  }

  TestLayer dir(String name, int mode, long uid, long gid) {
    return entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode, uid, gid, null, e -> { });
  }

  TestLayer file(String name, String content) {
    return file(name, content, 0644, 0, 0);
  }

  TestLayer file(String name, String content, int mode, long uid, long gid) {
    return entry(name, TarConstants.LF_NORMAL, mode, uid, gid, content.getBytes(StandardCharsets.UTF_8), e -> { });
  }

  TestLayer symlink(String name, String target) {
    return entry(name, TarConstants.LF_SYMLINK, 0777, 0, 0, null, e -> e.setLinkName(target));
  }

  TestLayer hardLink(String name, String target) {
    return entry(name, TarConstants.LF_LINK, 0644, 0, 0, null, e -> e.setLinkName(target));
  }

  TestLayer device(String name, byte flag, int major, int minor) {
    return entry(name, flag, 0666, 0, 0, null, e -> {
      e.setDevMajor(major);
      e.setDevMinor(minor);
    });
  }

  TestLayer entry(String name, byte flag, int mode, long uid, long gid, byte[] content,
      Consumer<TarArchiveEntry> customise) {
    try {
      TarArchiveEntry entry = new TarArchiveEntry(name, flag, true);
      entry.setMode(mode);
      entry.setUserId(uid);
      entry.setGroupId(gid);
      entry.setUserName("");
      entry.setGroupName("");
      entry.setModTime(FileTime.fromMillis(MTIME * 1000));
      if (content != null) {
        entry.setSize(content.length);
      }
      customise.accept(entry);
      tar.putArchiveEntry(entry);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] bytes() {
    try {
      tar.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
