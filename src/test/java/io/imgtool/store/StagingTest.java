package io.imgtool.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import io.imgtool.image.VerifyingInputStream;
import io.imgtool.name.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingTest {
  @TempDir Path tmp;

  /** A command that fails while writing a layer: the blob is refused half-way through. */
  private static void failHalfWayThroughALayer(LayoutStore store) throws IOException {
    try (Staging staging = store.stage()) {
      staging.putBlob("a finished layer".getBytes(StandardCharsets.UTF_8));
      try (BlobWriter writer = staging.newBlob()) {
        writer.write(new byte[100_000]);
        throw new IOException("layer refused half-way");
      }
    } catch (IOException expected) {
      assertEquals("layer refused half-way", expected.getMessage());
    }
  }

  /**
   * Found by ConcurrencyTest: a collector lists a staging directory whose owner, in this JVM,
   * deletes it on closing before the collector asks whether it is live; prune then failed.
   */
  @Test
  void aStagingDirectoryThatWentIsNeitherLiveNorInUse() throws IOException {
    Path gone = tmp.resolve(".imgtool-staging-gone");
    assertFalse(Staging.isLive(gone));
    assertFalse(GarbageCollector.inUse(gone));
  }

  @Test
  void aFailedCommandLeavesAnExistingStoreByteForByteUnchanged() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.commit(store, "foo:1", "a");
    Map<String, String> before = TestImages.snapshot(tmp);

    failHalfWayThroughALayer(store);

    assertEquals(before, TestImages.snapshot(tmp));
  }

  @Test
  void aFailedCommandLeavesNoStoreWhereThereWasNone() throws IOException {
    Path root = tmp.resolve("new/parent/store");
    failHalfWayThroughALayer(LayoutStore.at(root));
    assertFalse(Files.exists(tmp.resolve("new")));
  }

  @Test
  void aFailedCommandLeavesAnEmptyDirectoryEmpty() throws IOException {
    failHalfWayThroughALayer(LayoutStore.at(tmp));
    try (var entries = Files.list(tmp)) {
      assertEquals(0, entries.count());
    }
  }

  @Test
  void aBlobWithTheWrongDigestIsRefusedAndNothingChanges() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.commit(store, "foo:1", "a");
    Map<String, String> before = TestImages.snapshot(tmp);
    Digest expected = Digest.sha256("what the registry promised".getBytes(StandardCharsets.UTF_8));

    try (Staging staging = store.stage(); BlobWriter writer = staging.newBlob()) {
      writer.write("what arrived".getBytes(StandardCharsets.UTF_8));
      InvalidImageException e = assertThrows(InvalidImageException.class, () -> writer.finish(expected));
      assertTrue(e.getMessage().contains("expected " + expected), e.getMessage());
    }
    assertEquals(before, TestImages.snapshot(tmp));
  }

  @Test
  void aVerifyingStreamThatFailsLeavesNothingStaged() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.commit(store, "foo:1", "a");
    Map<String, String> before = TestImages.snapshot(tmp);
    byte[] arrived = "what arrived".getBytes(StandardCharsets.UTF_8);
    Digest promised = Digest.sha256("what the registry promised".getBytes(StandardCharsets.UTF_8));

    try (Staging staging = store.stage(); BlobWriter writer = staging.newBlob()) {
      var in = new VerifyingInputStream(new ByteArrayInputStream(arrived), promised, arrived.length, "blob", n -> { });
      assertThrows(VerifyingInputStream.BlobMismatchException.class, () -> writer.finishFrom(in));
      assertFalse(staging.hasBlob(promised));
    }
    assertEquals(before, TestImages.snapshot(tmp));
  }

  @Test
  void aVerifiedStreamIsStagedUnderItsDigest() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    byte[] bytes = new byte[3 << 18]; // several copy buffers
    new java.util.Random(7).nextBytes(bytes);
    Digest digest = Digest.sha256(bytes);
    try (Staging staging = store.stage(); BlobWriter writer = staging.newBlob()) {
      StagedBlob blob = writer.finishFrom(new VerifyingInputStream(new ByteArrayInputStream(bytes), digest,
          bytes.length, "blob", n -> { }));
      assertEquals(new StagedBlob(digest, bytes.length), blob);
      try (var in = staging.blobs().open(Descriptor.of(MediaType.OCI_LAYER_GZIP, digest, bytes.length))) {
        assertArrayEquals(bytes, in.readAllBytes());
      }
    }
  }

  @Test
  void aBlobWithTheStatedDigestIsAccepted() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    byte[] bytes = "layer".getBytes(StandardCharsets.UTF_8);
    try (Staging staging = store.stage(); BlobWriter writer = staging.newBlob()) {
      writer.write(bytes);
      StagedBlob blob = writer.finish(Digest.sha256(bytes));
      assertEquals(new StagedBlob(Digest.sha256(bytes), bytes.length), blob);
      assertTrue(staging.hasBlob(blob.digest()));
    }
  }

  @Test
  void commitRefusesAnImageWhoseLayerIsNowhere() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.commit(store, "foo:1", "a");
    Map<String, String> before = TestImages.snapshot(tmp);

    try (Staging staging = store.stage()) {
      StagedBlob config = staging.putBlob(TestImages.config("b", List.of()));
      Descriptor missingLayer = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(new byte[] {7}), 1);
      Manifest manifest = Manifest.create(Format.OCI, config.descriptor(MediaType.OCI_CONFIG),
          List.of(missingLayer), Map.of());
      staging.putBlob(manifest.bytes());
      StoreException e = assertThrows(StoreException.class,
          () -> staging.commit(editor -> editor.tag(ImageReference.parse("bar:1"), manifest.descriptor())));
      assertTrue(e.getMessage().contains("layer blob " + missingLayer.digest()), e.getMessage());
    }
    assertEquals(before, TestImages.snapshot(tmp));
  }

  @Test
  void anImageWhoseBaseLayersStayInARegistryIsAcceptedWhenItNamesTheirSource() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    Descriptor remoteLayer = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(new byte[] {7}), 1);
    Manifest manifest;
    try (Staging staging = store.stage()) {
      StagedBlob config = staging.putBlob(TestImages.config("lazy", List.of(new byte[] {7})));
      manifest = Manifest.create(Format.OCI, config.descriptor(MediaType.OCI_CONFIG),
          List.of(remoteLayer), Map.of());
      staging.putBlob(manifest.bytes());
      Descriptor entry = manifest.descriptor().withAnnotation(Annotations.SOURCE, "registry.example/base");
      staging.commit(editor -> editor.tag(ImageReference.parse("lazy:1"), entry));
    }
    StoredImage stored = store.resolve("lazy:1");
    assertEquals("registry.example/base", stored.manifest().annotation(Annotations.SOURCE));
    assertFalse(store.hasBlob(remoteLayer.digest()));
    store.prune();
    assertEquals(manifest.digest(), store.resolve("lazy:1").manifest().digest(), "prune keeps it");
  }

  @Test
  void blobsAlreadyInTheStoreAreReused() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    byte[] base = "shared base layer".getBytes(StandardCharsets.UTF_8);
    TestImages.commit(store, "foo:1", "a", base);
    TestImages.commit(store, "bar:1", "b", base);
    // The same image again, under a second name: every blob exists already.
    TestImages.Built again = TestImages.commit(store, "baz:1", "b", base);

    assertEquals(List.of("docker.io/library/foo:1", "docker.io/library/bar:1", "docker.io/library/baz:1"),
        TestImages.names(store));
    assertEquals(store.resolve("bar:1").manifest().digest(), again.manifest().digest());
  }

  @Test
  void commitMovesOnlyTheBlobsTheIndexReaches() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    Digest stray;
    try (Staging staging = store.stage()) {
      stray = staging.putBlob("written, then not used".getBytes(StandardCharsets.UTF_8)).digest();
      TestImages.Built built = TestImages.stage(staging, "a", List.of());
      staging.commit(editor -> editor.add(built.manifest()));
    }
    assertFalse(store.hasBlob(stray));
    assertEquals(1, store.images().size());
  }

  @Test
  void aStagingCannotBeUsedAfterCommit() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    try (Staging staging = store.stage()) {
      TestImages.Built built = TestImages.stage(staging, "a", List.of());
      staging.commit(editor -> editor.add(built.manifest()));
      assertThrows(IllegalStateException.class, staging::newBlob);
    }
  }
}
