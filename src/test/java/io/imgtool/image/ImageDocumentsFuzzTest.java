package io.imgtool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;

/**
 * Fuzzes the JSON documents a registry, an archive or a store serves: each input is read as a
 * manifest, an index and a config, and what parses is read through every accessor imgtool uses
 * (descriptors, platforms, diffIDs, history, container defaults). The one documented refusal
 * is {@link InvalidImageException}; anything else is a finding. A descriptor that parses must
 * keep its size exactly (a size that does not fit a long is not silently another size).
 * Seeds: manifests, indexes and configs as Distribution, Docker Hub and imgtool write them, in
 * {@code ImageDocumentsFuzzTestInputs/}. Jackson is not instrumented (only imgtool's classes
 * are), so a dictionary of JSON tokens and edge values stands in for its coverage.
 */
class ImageDocumentsFuzzTest {
  private static final Platform AMD64 = new Platform("linux", "amd64", null);
  private static final Platform ARM_V7 = new Platform("linux", "arm", "v7");

  @DictionaryEntries({"{", "}", "[", "]", ",", ":", "null", "true", "\"\"", "{}", "[]",
      "\"size\":", "\"digest\":", "\"mediaType\":", "\"platform\":", "\"manifests\":", "\"layers\":",
      "\"config\":", "\"rootfs\":", "\"diff_ids\":", "\"history\":", "\"os\":", "\"architecture\":",
      "\"variant\":", "\"annotations\":", "\"schemaVersion\":", "\"empty_layer\":",
      "-1", "0", "2", "1.5", "1e400", "9223372036854775807", "9223372036854775808",
      "18446744073709551616", "\"sha256:", "\\u0000"})
  @FuzzTest
  void documents(byte[] input) {
    try {
      Manifest manifest = Manifest.parse(input);
      manifest.mediaType();
      manifest.format();
      check(manifest.toJson().get("config"));
      manifest.toJson().get("layers").forEach(ImageDocumentsFuzzTest::check);
      manifest.layers().forEach(Descriptor::annotations);
      manifest.descriptor();
    } catch (InvalidImageException refused) {
      // not a manifest, said so
    }
    try {
      Index index = Index.parse(input);
      index.mediaType();
      Json.parseObject(input, "index").get("manifests").forEach(ImageDocumentsFuzzTest::check);
      index.manifests().forEach(Descriptor::platform);
      index.platforms();
      index.manifestFor(AMD64);
      index.manifestFor(ARM_V7);
    } catch (InvalidImageException refused) {
      // not an index, said so
    }
    try {
      ImageConfig config = ImageConfig.parse(input);
      config.diffIds();
      config.history().forEach(History::toJson);
      config.containerConfig();
      config.created();
      config.os();
    } catch (InvalidImageException refused) {
      // not a config, said so
    }
  }

  private static void check(JsonNode json) {
    Descriptor descriptor = Descriptor.fromJson(json);
    BigInteger written = json.get("size").bigIntegerValue();
    assertEquals(written, BigInteger.valueOf(descriptor.size()), "size of " + json);
    descriptor.digest();
  }
}
