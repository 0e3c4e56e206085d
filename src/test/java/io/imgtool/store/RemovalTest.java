package io.imgtool.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemovalTest {
  private static final byte[] BASE = "shared base layer".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  LayoutStore store;

  @BeforeEach
  void openStore() throws IOException {
    store = LayoutStore.at(tmp);
  }

  private static List<String> lines(RemovalReport report) {
    return report.events().stream().map(Object::toString).toList();
  }

  @Test
  void removingANameUntagsOnlyThatName() throws IOException {
    TestImages.Built image = TestImages.commit(store, "foo:1", "a", BASE);
    store.tag(io.imgtool.name.ImageReference.parse("bar:1"), image.manifest());

    RemovalReport report = store.remove(List.of("foo:1"), false);

    assertEquals(List.of("Untagged: foo:1"), lines(report));
    assertEquals(List.of("docker.io/library/bar:1"), TestImages.names(store));
    image.blobs().forEach(blob -> assertTrue(store.hasBlob(blob)));
    assertEquals(List.of(), report.garbage().deletedBlobs());
  }

  @Test
  void removingTheLastNameDeletesTheImageAndBlobsNoOtherImageUses() throws IOException {
    TestImages.Built foo = TestImages.commit(store, "foo:1", "a", BASE);
    TestImages.Built bar = TestImages.commit(store, "bar:1", "b", BASE);

    RemovalReport report = store.remove(List.of("foo:1"), false);

    assertEquals(List.of("Untagged: foo:1", "Deleted: " + foo.id()), lines(report));
    assertEquals(List.of("docker.io/library/bar:1"), TestImages.names(store));
    Digest base = Digest.sha256(BASE);
    assertTrue(store.hasBlob(base), "the base layer is still used by bar");
    bar.blobs().forEach(blob -> assertTrue(store.hasBlob(blob)));
    List<Digest> onlyFoo = foo.blobs().stream().filter(b -> !b.equals(base)).toList();
    onlyFoo.forEach(blob -> assertFalse(store.hasBlob(blob), blob.toString()));
    assertEquals(onlyFoo.size(), report.garbage().deletedBlobs().size());
  }

  @Test
  void removingByIdAnImageWithSeveralNamesNeedsForce() throws IOException {
    TestImages.Built image = TestImages.commit(store, "foo:1", "a");
    store.tag(io.imgtool.name.ImageReference.parse("localhost:5000/foo:1"), image.manifest());
    String shortId = image.id().shortHex();

    RemovalReport refused = store.remove(List.of(shortId), false);
    RemovalEvent.Failed failed = assertInstanceOf(RemovalEvent.Failed.class, refused.events().get(0));
    assertInstanceOf(ImageConflictException.class, failed.error());
    assertTrue(failed.toString().contains("unable to delete " + shortId + " (must be forced)"
        + " - image is referenced in multiple repositories"), failed.toString());
    assertEquals(2, store.images().size());

    RemovalReport forced = store.remove(List.of(shortId), true);
    assertEquals(List.of("Untagged: foo:1", "Untagged: localhost:5000/foo:1", "Deleted: " + image.id()),
        lines(forced));
    assertEquals(List.of(), store.images());
    image.blobs().forEach(blob -> assertFalse(store.hasBlob(blob)));
  }

  @Test
  void removingByIdAnImageWithOneNameDeletesIt() throws IOException {
    TestImages.Built image = TestImages.commit(store, "foo:1", "a");
    RemovalReport report = store.remove(List.of("sha256:" + image.id().hex().substring(0, 8)), false);
    assertEquals(List.of("Untagged: foo:1", "Deleted: " + image.id()), lines(report));
  }

  @Test
  void removingAnUntaggedImageById() throws IOException {
    TestImages.Built image = TestImages.commit(store, null, "a");
    RemovalReport report = store.remove(List.of(image.id().hex()), false);
    assertEquals(List.of("Deleted: " + image.id()), lines(report));
    assertEquals(List.of(), store.images());
  }

  @Test
  void aFailingArgumentDoesNotStopTheOthers() throws IOException {
    TestImages.commit(store, "foo:1", "a");
    TestImages.Built bar = TestImages.commit(store, "bar:1", "b");

    RemovalReport report = store.remove(List.of("nosuch:1", "bar:1"), false);

    assertTrue(report.failed());
    assertEquals(List.of("No such image: nosuch:1", "Untagged: bar:1", "Deleted: " + bar.id()),
        lines(report));
    assertEquals(List.of("docker.io/library/foo:1"), TestImages.names(store));
  }

  @Test
  void removingFromAMissingStoreReportsNoSuchImage() throws IOException {
    LayoutStore missing = LayoutStore.at(tmp.resolve("none"));
    RemovalReport report = missing.remove(List.of("foo:1"), false);
    assertEquals(List.of("No such image: foo:1"), lines(report));
    assertFalse(Files.exists(tmp.resolve("none")));
  }

  @Test
  void pruneRemovesOnlyUnreferencedBlobs() throws IOException {
    TestImages.Built foo = TestImages.commit(store, "foo:1", "a", BASE);
    // Moving the name leaves the first image untagged (dangling): its blobs stay.
    TestImages.Built foo2 = TestImages.commit(store, "foo:1", "b", BASE);
    Path stray = tmp.resolve("blobs/sha256/" + Digest.sha256(new byte[] {42}).hex());
    Files.write(stray, new byte[] {42});
    Path notABlob = Files.writeString(tmp.resolve("blobs/sha256/README"), "not ours to judge");

    PruneReport report = store.prune();

    assertEquals(List.of(Digest.sha256(new byte[] {42})), report.deletedBlobs());
    assertEquals(1, report.reclaimedBytes());
    assertFalse(Files.exists(stray));
    assertTrue(Files.exists(notABlob));
    foo.blobs().forEach(blob -> assertTrue(store.hasBlob(blob)));
    foo2.blobs().forEach(blob -> assertTrue(store.hasBlob(blob)));
    assertEquals(2, store.images().size());
  }

  @Test
  void pruneRemovesAbandonedStagingsButNotLiveOnes() throws IOException {
    TestImages.commit(store, "foo:1", "a");
    Path abandoned = Files.createDirectory(tmp.resolve(Layout.STAGING_PREFIX + "crashed"));
    Files.writeString(abandoned.resolve(Layout.OWNER_LOCK), "");
    Files.writeString(abandoned.resolve("0123.partial"), "half a layer");

    try (Staging live = store.stage()) {
      StagedBlob blob = live.putBlob("in progress".getBytes(StandardCharsets.UTF_8));
      PruneReport report = store.prune();
      assertEquals(1, report.abandonedStagings());
      assertFalse(Files.exists(abandoned));
      assertTrue(live.hasBlob(blob.digest()), "the live staging keeps its blob");
      TestImages.Built built = TestImages.stage(live, "b", List.of());
      live.commit(editor -> editor.add(built.manifest()));
    }
    assertEquals(2, store.images().size());
  }
}
