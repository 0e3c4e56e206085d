package io.imgtool.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Image;
import io.imgtool.image.VerifyingInputStream;
import io.imgtool.image.Json;
import io.imgtool.image.MediaType;
import io.imgtool.name.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutStoreTest {
  @TempDir Path tmp;

  @Test
  void openingAMissingStoreCreatesNothing() throws IOException {
    Path root = tmp.resolve("a/b/store");
    LayoutStore store = LayoutStore.at(root);
    assertEquals(List.of(), store.images());
    assertFalse(Files.exists(tmp.resolve("a")));
  }

  @Test
  void refusesANonEmptyDirectoryThatIsNotALayout() throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "mine");
    StoreException e = assertThrows(StoreException.class, () -> LayoutStore.at(tmp));
    assertTrue(e.getMessage().contains("is not an OCI image layout"), e.getMessage());
  }

  @Test
  void refusesAFileAsStore() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    StoreException e = assertThrows(StoreException.class, () -> LayoutStore.at(file));
    assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
  }

  @Test
  void refusesAnUnknownLayoutVersion() throws IOException {
    Files.writeString(tmp.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    StoreException e = assertThrows(StoreException.class, () -> LayoutStore.at(tmp));
    assertTrue(e.getMessage().contains("2.0.0"), e.getMessage());
  }

  @Test
  void anEmptyDirectoryBecomesAStore() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.commit(store, "foo:1", "a");
    assertEquals(List.of("docker.io/library/foo:1"), TestImages.names(store));
  }

  @Test
  void storeIsAnOciLayoutWithFullNamesAsRefNames() throws IOException {
    Path root = tmp.resolve("store");
    LayoutStore store = LayoutStore.at(root);
    TestImages.Built built = TestImages.commit(store, "192.168.1.2:5000/yyubuntu:1.2", "a");

    JsonNode layout = Json.parseObject(Files.readAllBytes(root.resolve("oci-layout")), "oci-layout");
    assertEquals("1.0.0", layout.get("imageLayoutVersion").asText());
    JsonNode index = Json.parseObject(Files.readAllBytes(root.resolve("index.json")), "index");
    assertEquals(2, index.get("schemaVersion").asInt());
    assertEquals(MediaType.OCI_INDEX, index.get("mediaType").asText());
    JsonNode entry = index.get("manifests").get(0);
    assertEquals(built.manifest().digest().toString(), entry.get("digest").asText());
    assertEquals("192.168.1.2:5000/yyubuntu:1.2",
        entry.get("annotations").get(Descriptor.REF_NAME).asText());
    for (Digest blob : built.blobs()) {
      assertTrue(Files.isRegularFile(root.resolve("blobs/sha256/" + blob.hex())), blob.toString());
    }
    try (var entries = Files.list(root)) {
      assertEquals(List.of("blobs", "index.json", "oci-layout"),
          entries.map(p -> p.getFileName().toString()).sorted().toList(), "no leftovers");
    }
  }

  @Test
  void listsNameIdCreatedAndCompressedSize() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.Built built = TestImages.commit(store, "foo:1", "a");
    TestImages.commit(store, null, "b");

    List<StoredImage> images = store.images();
    assertEquals(2, images.size());
    StoredImage foo = images.get(0);
    assertEquals(Optional.of(ImageReference.parse("foo:1")), foo.name());
    assertEquals(built.id(), foo.id());
    assertEquals(built.manifest().toString(), foo.manifest().toString());
    assertEquals(Optional.of(Instant.parse(TestImages.CREATED)), foo.created());
    long configAndLayers = store.blobSize(built.id()) + store.blobSize(built.blobs().get(0));
    assertEquals(configAndLayers, foo.size());
    assertEquals(Optional.empty(), images.get(1).name());
  }

  @Test
  void imageReadsManifestConfigAndLayerBytes() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.Built built = TestImages.commit(store, "foo:1", "a");

    Image image = store.image(built.manifest());
    assertEquals(built.id(), image.id());
    assertEquals("linux", image.config().os());
    try (InputStream in = image.blobs().open(image.layers().get(0))) {
      assertEquals("layer of a", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void rawBlobAccess() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.Built built = TestImages.commit(store, "foo:1", "a");
    Digest config = built.id();
    assertTrue(store.hasBlob(config));
    assertEquals(Files.size(tmp.resolve("blobs/sha256/" + config.hex())), store.blobSize(config));
    assertArrayEquals(Files.readAllBytes(tmp.resolve("blobs/sha256/" + config.hex())),
        store.readBlob(config));
    try (InputStream in = store.openBlob(config)) {
      assertArrayEquals(store.readBlob(config), in.readAllBytes());
    }
    Digest absent = Digest.sha256(new byte[] {1});
    assertFalse(store.hasBlob(absent));
    assertThrows(StoreException.class, () -> store.blobSize(absent));
  }

  @Test
  void corruptedConfigGivesAClearError() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.Built built = TestImages.commit(store, "foo:1", "a");
    Files.writeString(tmp.resolve("blobs/sha256/" + built.id().hex()), "{\"tampered\":true}");

    StoreException e = assertThrows(StoreException.class,
        () -> LayoutStore.at(tmp).image(built.manifest()));
    assertTrue(e.getMessage().contains(built.id() + " in the image store"), e.getMessage());
    assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
  }

  @Test
  void corruptedLayerIsDetectedAtTheEndOfTheStream() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.Built built = TestImages.commit(store, "foo:1", "a");
    Image image = store.image(built.manifest());
    Descriptor layer = image.layers().get(0);
    Files.writeString(tmp.resolve("blobs/sha256/" + layer.digest().hex()), "layer of b");

    try (InputStream in = store.open(layer)) {
      VerifyingInputStream.BlobMismatchException e =
          assertThrows(VerifyingInputStream.BlobMismatchException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("in the image store " + tmp + " is corrupt"), e.getMessage());
    }
  }

  @Test
  void missingManifestBlobGivesAClearError() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.Built built = TestImages.commit(store, "foo:1", "a");
    Files.delete(tmp.resolve("blobs/sha256/" + built.manifest().digest().hex()));

    StoreException e = assertThrows(StoreException.class, () -> LayoutStore.at(tmp).images());
    assertTrue(e.getMessage().contains("is missing from the image store"), e.getMessage());
  }

  @Test
  void keepsIndexFieldsWrittenByOtherTools() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.commit(store, "foo:1", "a");
    Path index = tmp.resolve("index.json");
    String withAnnotation = Files.readString(index)
        .replaceFirst("\\{", "{\"annotations\":{\"org.example\":\"kept\"},");
    Files.writeString(index, withAnnotation);

    TestImages.commit(store, "bar:1", "b");
    assertTrue(Files.readString(index).contains("\"org.example\":\"kept\""));
  }
}
