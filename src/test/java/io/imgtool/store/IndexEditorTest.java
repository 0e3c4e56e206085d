package io.imgtool.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.MediaType;
import io.imgtool.name.ImageReference;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexEditorTest {
  private static final Descriptor A = manifest("a");
  private static final Descriptor B = manifest("b");

  private static Descriptor manifest(String seed) {
    return Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256(seed.getBytes()), 100);
  }

  private static ImageReference name(String text) {
    return ImageReference.parse(text);
  }

  private static List<String> refNames(IndexEditor editor) {
    return editor.entries().stream()
        .map(e -> e.digest().hex().substring(0, 4) + "=" + e.annotation(Descriptor.REF_NAME))
        .toList();
  }

  private static String id(Descriptor d) {
    return d.digest().hex().substring(0, 4);
  }

  @Test
  void aManifestWithSeveralNamesHasOneEntryPerName() {
    IndexEditor editor = new IndexEditor(List.of());
    editor.tag(name("foo:1"), A);
    editor.tag(name("localhost:5000/foo:1"), A);
    assertEquals(List.of(id(A) + "=docker.io/library/foo:1", id(A) + "=localhost:5000/foo:1"),
        refNames(editor));
    assertEquals(List.of(name("foo:1"), name("localhost:5000/foo:1")), editor.names(A.digest()));
  }

  @Test
  void taggingMovesTheNameAndKeepsTheOldImageUntagged() {
    IndexEditor editor = new IndexEditor(List.of());
    editor.tag(name("foo:1"), A);
    editor.tag(name("foo:1"), B);
    assertEquals(List.of(id(B) + "=docker.io/library/foo:1", id(A) + "=null"), refNames(editor));
  }

  @Test
  void taggingAnUntaggedImageReplacesItsUntaggedEntry() {
    IndexEditor editor = new IndexEditor(List.of());
    editor.add(A);
    editor.add(A);
    assertEquals(List.of(id(A) + "=null"), refNames(editor));
    editor.tag(name("foo:1"), A);
    assertEquals(List.of(id(A) + "=docker.io/library/foo:1"), refNames(editor));
  }

  @Test
  void untaggingTheLastNameLeavesTheImageUntagged() {
    IndexEditor editor = new IndexEditor(List.of());
    editor.tag(name("foo:1"), A);
    editor.tag(name("foo:2"), A);
    assertEquals(A.digest(), editor.untag(name("foo:1")).orElseThrow().digest());
    assertEquals(List.of(id(A) + "=docker.io/library/foo:2"), refNames(editor));
    editor.untag(name("foo:2"));
    assertEquals(List.of(id(A) + "=null"), refNames(editor));
    assertEquals(Optional.empty(), editor.untag(name("foo:3")));
  }

  @Test
  void removeDropsEveryEntryOfTheManifest() {
    IndexEditor editor = new IndexEditor(List.of());
    editor.tag(name("foo:1"), A);
    editor.tag(name("bar:1"), A);
    editor.tag(name("baz:1"), B);
    assertEquals(List.of(name("foo:1"), name("bar:1")), editor.remove(A.digest()));
    assertEquals(List.of(id(B) + "=docker.io/library/baz:1"), refNames(editor));
  }

  @Test
  void namesWrittenByOtherToolsCompareAsParsedNames() {
    IndexEditor editor = new IndexEditor(List.of(A.withAnnotation(Descriptor.REF_NAME, "ubuntu:22.04")));
    assertEquals(A.digest(), editor.lookup(name("docker.io/library/ubuntu:22.04")).orElseThrow().digest());
    editor.tag(name("ubuntu:22.04"), B);
    assertEquals(List.of(id(B) + "=docker.io/library/ubuntu:22.04", id(A) + "=null"), refNames(editor));
  }

  @Test
  void refusesToTagWithADigest() {
    IndexEditor editor = new IndexEditor(List.of());
    ImageReference byDigest = name("foo@" + A.digest());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> editor.tag(byDigest, A));
    assertTrue(e.getMessage().contains("digest"), e.getMessage());
  }
}
