package io.imgtool.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;
import io.imgtool.name.InvalidReferenceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolveTest {
  @TempDir Path tmp;
  LayoutStore store;
  TestImages.Built foo;

  @BeforeEach
  void storeWithOneImage() throws IOException {
    store = LayoutStore.at(tmp);
    foo = TestImages.commit(store, "foo:1", "foo");
  }

  /** The image ID TestImages.commit gives an image of this seed. */
  private static Digest idOf(String seed) {
    byte[] ownLayer = ("layer of " + seed).getBytes(StandardCharsets.UTF_8);
    return Digest.sha256(TestImages.config(seed, List.of(ownLayer)));
  }

  /** Two seeds whose image IDs share their first four hex digits. */
  private static List<String> seedsWithCommonIdPrefix() {
    Map<String, String> seedByPrefix = new HashMap<>();
    for (int i = 0; ; i++) {
      String seed = "s" + i;
      String other = seedByPrefix.putIfAbsent(idOf(seed).hex().substring(0, 4), seed);
      if (other != null) {
        return List.of(other, seed);
      }
    }
  }

  @Test
  void resolvesFamiliarAndFullNames() throws IOException {
    assertEquals(foo.id(), store.resolve("foo:1").id());
    assertEquals(foo.id(), store.resolve("docker.io/library/foo:1").id());
    assertEquals(ImageReference.parse("foo:1"), store.resolve("library/foo:1").name().orElseThrow());
  }

  @Test
  void resolvesAFullIdWithOrWithoutAlgorithm() throws IOException {
    assertEquals(foo.id(), store.resolve(foo.id().toString()).id());
    assertEquals(foo.id(), store.resolve(foo.id().hex()).id());
  }

  @Test
  void resolvesAUniqueIdPrefixOfFourDigits() throws IOException {
    String prefix = foo.id().hex().substring(0, 4);
    assertEquals(foo.id(), store.resolve(prefix).id());
    assertEquals(foo.id(), store.resolve("sha256:" + prefix).id());
  }

  @Test
  void aPrefixShorterThanFourDigitsIsNoId() {
    String prefix = foo.id().hex().substring(0, 3);
    ImageNotFoundException e = assertThrows(ImageNotFoundException.class, () -> store.resolve(prefix));
    assertEquals("No such image: " + prefix, e.getMessage());
  }

  @Test
  void anAmbiguousPrefixListsTheCandidates() throws IOException {
    List<String> seeds = seedsWithCommonIdPrefix();
    TestImages.Built first = TestImages.commit(store, "first:1", seeds.get(0));
    TestImages.Built second = TestImages.commit(store, null, seeds.get(1));
    String prefix = first.id().hex().substring(0, 4);

    AmbiguousImageException e = assertThrows(AmbiguousImageException.class, () -> store.resolve(prefix));
    assertTrue(e.getMessage().contains(first.id().shortHex() + " (first:1"), e.getMessage());
    assertTrue(e.getMessage().contains(second.id().shortHex() + " (<none>"), e.getMessage());
    assertEquals(2, e.candidates().size());
    assertEquals(first.id(), store.resolve(first.id().hex().substring(0, 20)).id());
  }

  @Test
  void aNameWinsOverAnIdPrefix() throws IOException {
    String prefix = foo.id().hex().substring(0, 4);
    TestImages.Built named = TestImages.commit(store, prefix, "named like an id");
    assertEquals(named.id(), store.resolve(prefix).id());
    assertEquals(foo.id(), store.resolve("sha256:" + prefix).id());
  }

  @Test
  void resolvesADigestReference() throws IOException {
    String digest = foo.manifest().digest().toString();
    StoredImage image = store.resolve("foo@" + digest);
    assertEquals(foo.id(), image.id());
    assertEquals(foo.id(), store.resolve("other/repo@" + digest).id());
    String absent = Digest.sha256(new byte[0]).toString();
    assertThrows(ImageNotFoundException.class, () -> store.resolve("foo@" + absent));
  }

  @Test
  void resolvesAnUntaggedImageById() throws IOException {
    TestImages.Built untagged = TestImages.commit(store, null, "untagged");
    StoredImage image = store.resolve(untagged.id().hex().substring(0, 12));
    assertEquals(untagged.id(), image.id());
    assertTrue(image.name().isEmpty());
  }

  @Test
  void anUnknownNameIsNoSuchImage() {
    ImageNotFoundException e = assertThrows(ImageNotFoundException.class, () -> store.resolve("bar:1"));
    assertEquals("No such image: bar:1", e.getMessage());
  }

  @Test
  void malformedTextIsAnInvalidReference() {
    assertThrows(InvalidReferenceException.class, () -> store.resolve("Foo:1"));
    assertThrows(InvalidReferenceException.class, () -> store.resolve("ABCD"));
  }

  @Test
  void aMissingStoreHasNoImages() throws IOException {
    LayoutStore missing = LayoutStore.at(tmp.resolve("none"));
    assertThrows(ImageNotFoundException.class, () -> missing.resolve("foo:1"));
  }
}
