package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.BlobSource;
import io.imgtool.image.Image;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseTreesTest {
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

    BaseTrees trees = new BaseTrees(tmp.resolve("trees"));
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
    BaseTrees trees = new BaseTrees(tmp.resolve("trees"));
    byte[] expected = changeset(RootfsDiff.of(base, dir, trees));
    Path kept = tmp.resolve("trees").resolve(base.id().hex());
    byte[] bytes = Files.readAllBytes(kept);
    Files.write(kept, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertArrayEquals(expected, changeset(RootfsDiff.of(base, dir, trees)));
    Files.writeString(kept, "not a tree");
    assertArrayEquals(expected, changeset(RootfsDiff.of(base, dir, trees)));
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
