package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdInputStream;
import io.imgtool.image.Digest;
import io.imgtool.image.Json;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tools;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Independent checks of a store, written against the OCI layout spec rather than imgtool's
 * code: every blob's name is its sha256, and every layer's uncompressed sha256 is its diffID (a lazy
 * image, which names the registry repository of its base layers, may lack those).
 */
final class StoreCheck {
  private StoreCheck() {}

  static void verifyAllBlobs(Path store) throws IOException {
    Path blobs = store.resolve("blobs/sha256");
    try (Stream<Path> files = Files.list(blobs)) {
      for (Path blob : files.toList()) {
        assertEquals("sha256:" + blob.getFileName(), sha256(Files.newInputStream(blob)), "blob " + blob);
      }
    }
    for (JsonNode entry : Json.MAPPER.readTree(store.resolve("index.json").toFile()).get("manifests")) {
      JsonNode manifest = readBlob(store, entry.get("digest").asText());
      JsonNode config = readBlob(store, manifest.at("/config/digest").asText());
      JsonNode layers = manifest.get("layers");
      JsonNode diffIds = config.at("/rootfs/diff_ids");
      assertEquals(layers.size(), diffIds.size());
      // A lazy image (committed on a registry base) names where its base layers are instead.
      boolean lazy = entry.path("annotations").has("io.imgtool.source");
      for (int i = 0; i < layers.size(); i++) {
        Path blob = blobPath(store, layers.get(i).get("digest").asText());
        if (lazy && !Files.exists(blob)) {
          continue;
        }
        assertEquals(layers.get(i).get("size").asLong(), Files.size(blob));
        assertEquals(diffIds.get(i).asText(),
            sha256(decompress(layers.get(i).get("mediaType").asText(), Files.newInputStream(blob))));
      }
    }
  }

  /**
   * What OCI tools make of the store: {@code umoci ls} reads the layout and its index, and
   * {@code skopeo inspect} reads every named image's manifest and config.
   */
  static void acceptedByOciTools(Path store) throws Exception {
    Judges.require("umoci", "skopeo");
    Tools.Result list = Tools.run(Judges.command("umoci"), "ls", "--layout", store.toString());
    assertEquals(0, list.exit(), "umoci ls: " + list);
    for (JsonNode entry : Json.MAPPER.readTree(store.resolve("index.json").toFile()).get("manifests")) {
      String name = entry.path("annotations").path("org.opencontainers.image.ref.name").asText(null);
      if (name != null) {
        Tools.Result inspect = Tools.run(Judges.command("skopeo"), "inspect", "oci:" + store + ":" + name);
        assertEquals(0, inspect.exit(), "skopeo inspect " + name + ": " + inspect);
      }
    }
  }

  /** Blobs that no image in index.json refers to. */
  static Set<String> unreferencedBlobs(Path store) throws IOException {
    Set<String> used = new HashSet<>();
    for (JsonNode entry : Json.MAPPER.readTree(store.resolve("index.json").toFile()).get("manifests")) {
      String manifestDigest = entry.get("digest").asText();
      used.add(manifestDigest);
      JsonNode manifest = readBlob(store, manifestDigest);
      used.add(manifest.at("/config/digest").asText());
      manifest.get("layers").forEach(l -> used.add(l.get("digest").asText()));
    }
    Set<String> unused = new HashSet<>();
    try (Stream<Path> files = Files.list(store.resolve("blobs/sha256"))) {
      files.map(p -> "sha256:" + p.getFileName()).filter(d -> !used.contains(d)).forEach(unused::add);
    }
    return unused;
  }

  private static JsonNode readBlob(Path store, String digest) throws IOException {
    return Json.MAPPER.readTree(Files.readAllBytes(blobPath(store, digest)));
  }

  private static Path blobPath(Path store, String digest) {
    return store.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private static InputStream decompress(String mediaType, InputStream in) throws IOException {
    InputStream buffered = new BufferedInputStream(in);
    if (mediaType.endsWith("gzip")) {
      return new GZIPInputStream(buffered);
    }
    if (mediaType.endsWith("zstd")) {
      return new ZstdInputStream(buffered);
    }
    return buffered;
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest sha = Digest.newSha256();
    try (InputStream digesting = new DigestInputStream(in, sha)) {
      digesting.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return Digest.fromSha256(sha.digest()).toString();
  }
}
