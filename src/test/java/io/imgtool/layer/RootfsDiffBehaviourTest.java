package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Image;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsDiffBehaviourTest {
  @TempDir Path tmp;

  @Test
  void findsNothingInATreeAnotherToolUnpacked() throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = RootfsDiffTest.base(layout);
    Path rootfs = layout.umociUnpack("base", tmp.resolve("bundle"));
    RootfsDiff diff = RootfsDiff.of(base, rootfs);
    assertEquals(List.of(), diff.changes());
    assertTrue(diff.isEmpty());
  }

  @Test
  void diffsATreeAnotherToolUnpacked() throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = RootfsDiffTest.base(layout);
    Path rootfs = layout.umociUnpack("base", tmp.resolve("bundle"));
    Files.delete(rootfs.resolve("etc/motd"));
    Files.writeString(rootfs.resolve("etc/hostname"), "edit\n");
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    RootfsDiff.of(base, rootfs).writeTo(tar);
    layout.append(base, "next", tar.toByteArray());
    assertEquals(TreeSnapshot.of(rootfs), TreeSnapshot.of(layout.umociUnpack("next", tmp.resolve("b2"))));
  }

  @Test
  void writesTheSameBytesForTheSameTree() throws IOException {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = RootfsDiffTest.base(layout);
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(base, dir);
    Files.writeString(dir.resolve("etc/a"), "a");
    Files.createLink(dir.resolve("etc/b"), dir.resolve("etc/a"));
    Files.delete(dir.resolve("etc/motd"));
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    RootfsDiff.of(base, dir).writeTo(first);
    RootfsDiff.of(base, dir).writeTo(second);
    assertArrayEquals(first.toByteArray(), second.toByteArray());
  }

  @Test
  void clampsNewMtimesToSourceDateEpoch() throws IOException {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = layout.image("scratch", List.of());
    Path dir = Files.createDirectories(tmp.resolve("rootfs"));
    Files.writeString(dir.resolve("new"), "n");
    Files.writeString(dir.resolve("old"), "o");
    Files.setLastModifiedTime(dir.resolve("old"), FileTime.fromMillis(1_000_000_000_000L));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    RootfsDiff.of(base, dir).writeTo(tar, Instant.ofEpochSecond(1_500_000_000L));
    List<TarArchiveEntry> entries = entries(tar.toByteArray());
    assertEquals(1_500_000_000L, entries.get(0).getLastModifiedTime().toInstant().getEpochSecond());
    assertEquals(1_000_000_000L, entries.get(1).getLastModifiedTime().toInstant().getEpochSecond());
  }

  @Test
  void addsEverythingOverScratch() throws IOException {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image scratch = layout.image("scratch", List.of());
    Path dir = Files.createDirectories(tmp.resolve("rootfs"));
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/b/c"), "c");
    assertEquals(List.of("A /a", "A /a/b", "A /a/b/c"),
        RootfsDiff.of(scratch, dir).changes().stream().map(Change::toString).toList());
  }

  /**
   * A file over 8 GiB needs a PAX size header. The file is sparse and only the start of the
   * stream is read: the header comes first, so no 8 GiB pass through the test.
   */
  @Test
  void recordsTheSizeOfAFileOver8GiB() throws IOException {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image scratch = layout.image("scratch", List.of());
    Path dir = Files.createDirectories(tmp.resolve("rootfs"));
    long size = 9L << 30;
    try (RandomAccessFile file = new RandomAccessFile(dir.resolve("big").toFile(), "rw")) {
      file.setLength(size);
    }
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    OutputStream firstBytes = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        head.write(b, off, len);
        if (head.size() > 1 << 16) {
          throw new UncheckedIOException(new IOException("enough"));
        }
      }
    };
    RootfsDiff diff = RootfsDiff.of(scratch, dir);
    assertThrows(UncheckedIOException.class, () -> diff.writeTo(firstBytes));
    TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(head.toByteArray()), "UTF-8");
    TarArchiveEntry entry = in.getNextEntry();
    assertEquals("big", entry.getName());
    assertEquals(size, entry.getSize());
  }

  private static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
      List<TarArchiveEntry> result = new java.util.ArrayList<>();
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        result.add(e);
      }
      return result;
    }
  }
}
