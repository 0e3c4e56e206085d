package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.BlobSource;
import io.imgtool.image.Image;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCacheTest {
  @TempDir Path tmp;

  @Test
  void aKeptBaseTreeGivesTheSameChangesetWithoutReadingTheLayersAgain() throws IOException {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = RootfsDiffTest.base(layout);
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(base, dir);
    Files.writeString(dir.resolve("etc/hostname"), "edited\n");
    Files.createLink(dir.resolve("etc/b"), dir.resolve("etc/hostname"));
    Files.delete(dir.resolve("etc/motd"));
    byte[] uncached = changeset(RootfsDiff.of(base, dir));

    DiffCache trees = new DiffCache(tmp.resolve("trees"));
    AtomicInteger opened = new AtomicInteger();
    Image counting = new Image(base.manifest(), base.config(), counting(base.blobs(), opened));
    byte[] first = changeset(RootfsDiff.of(counting, dir, trees));
    int afterFirst = opened.get();
    byte[] second = changeset(RootfsDiff.of(counting, dir, trees));

    assertTrue(afterFirst > 0, "the first diff reads the layers");
    assertEquals(afterFirst, opened.get(), "the second diff reads no layer");
    assertArrayEquals(uncached, first);
    assertArrayEquals(uncached, second);
    assertEquals(RootfsDiff.of(base, dir).changes(), RootfsDiff.of(counting, dir, trees).changes());
  }

  @Test
  void aDamagedKeptTreeIsRebuiltFromTheLayers() throws IOException {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = RootfsDiffTest.base(layout);
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(base, dir);
    Files.writeString(dir.resolve("etc/new"), "n");
    DiffCache trees = new DiffCache(tmp.resolve("trees"));
    byte[] expected = changeset(RootfsDiff.of(base, dir, trees));
    Path kept = tmp.resolve("trees").resolve(base.id().hex());
    byte[] bytes = Files.readAllBytes(kept);
    Files.write(kept, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertArrayEquals(expected, changeset(RootfsDiff.of(base, dir, trees)));
    Files.writeString(kept, "not a tree");
    assertArrayEquals(expected, changeset(RootfsDiff.of(base, dir, trees)));
  }

  @Test
  void unpackKeepsTheTreeSoTheFirstDiffReadsNoLayer() throws IOException {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = RootfsDiffTest.base(layout);
    Path dir = tmp.resolve("rootfs");
    DiffCache cache = new DiffCache(tmp.resolve("cache"));
    Unpacker.unpack(base, dir, cache);
    Files.writeString(dir.resolve("etc/hostname"), "edited\n");
    Files.delete(dir.resolve("etc/motd"));

    AtomicInteger opened = new AtomicInteger();
    Image counting = new Image(base.manifest(), base.config(), counting(base.blobs(), opened));
    byte[] kept = changeset(RootfsDiff.of(counting, dir, cache));
    assertEquals(0, opened.get(), "the tree the unpacker kept serves the diff");
    assertArrayEquals(changeset(RootfsDiff.of(base, dir)), kept, "and it is the tree the layers give");
  }

  @Test
  void anUnpackRecordVouchesOnlyForFilesNobodyTouchedSinceUnpack() throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = RootfsDiffTest.base(layout);
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(base, dir);
    DiffCache cache = new DiffCache(tmp.resolve("cache"));
    Thread.sleep(20); // let the clock pass the unpack, as it does between two commands
    cache.recordUnpack(base, dir);
    UnpackRecord record = cache.unpackRecord(base, dir);
    Path hostname = dir.resolve("etc/hostname");
    Path motd = dir.resolve("etc/motd");
    assertTrue(record.unchanged("etc/hostname", TreeEntry.fromDisk(hostname)));
    assertTrue(record.unchanged("etc/motd", TreeEntry.fromDisk(motd)));

    Thread.sleep(20);
    // Same size, same mtime, other content: only ctime tells.
    FileTime mtime = Files.getLastModifiedTime(hostname);
    byte[] content = Files.readAllBytes(hostname);
    content[0] ^= 1;
    Files.write(hostname, content);
    Files.setLastModifiedTime(hostname, mtime);
    assertFalse(record.unchanged("etc/hostname", TreeEntry.fromDisk(hostname)));
    // Another file moved into place keeps its own inode.
    Path other = dir.resolve("etc/other");
    Files.copy(motd, other);
    Files.move(other, motd, StandardCopyOption.REPLACE_EXISTING);
    assertFalse(record.unchanged("etc/motd", TreeEntry.fromDisk(motd)));

    List<Change> changes = RootfsDiff.of(base, dir, cache).changes();
    assertTrue(changes.contains(new Change(Change.Kind.CHANGED, "etc/hostname")), changes.toString());
    assertEquals(changes, RootfsDiff.of(base, dir).changes(), "the record changes nothing but speed");
  }

  @Test
  void anUnpackRecordIsNotUsedForAnotherDirectoryOrImage() throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = RootfsDiffTest.base(layout);
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(base, dir);
    DiffCache cache = new DiffCache(tmp.resolve("cache"));
    cache.recordUnpack(base, dir);
    Path moved = tmp.resolve("moved");
    Files.move(dir, moved);
    Files.createDirectory(dir);
    assertNull(cache.unpackRecord(base, dir), "same path, another directory");
    Image other = layout.image("other", List.of());
    Unpacker.unpack(base, tmp.resolve("second"));
    cache.recordUnpack(base, tmp.resolve("second"));
    assertNull(cache.unpackRecord(other, tmp.resolve("second")), "another image");
  }

  private static BlobSource counting(BlobSource blobs, AtomicInteger opened) {
    return blob -> {
      opened.incrementAndGet();
      return blobs.open(blob);
    };
  }

  private static byte[] changeset(RootfsDiff diff) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    diff.writeTo(out);
    return out.toByteArray();
  }
}
