package io.imgtool.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageDocumentsTest {
  private static final String CONFIG_DIGEST = "sha256:" + "c".repeat(64);
  private static final String LAYER_DIGEST = "sha256:" + "1".repeat(64);

  @Test
  void manifestKeepsTheExactBytesItWasReadFrom() {
    String text = "{\"schemaVersion\":2,  \"mediaType\":\"" + MediaType.DOCKER_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaType.DOCKER_CONFIG + "\",\"digest\":\"" + CONFIG_DIGEST
        + "\",\"size\":7},\"layers\":[{\"mediaType\":\"" + MediaType.DOCKER_LAYER_GZIP
        + "\",\"digest\":\"" + LAYER_DIGEST + "\",\"size\":9,\"urls\":[\"http://x\"]}]}";
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    Manifest manifest = Manifest.parse(raw);
    assertArrayEquals(raw, manifest.bytes());
    assertEquals(Digest.sha256(raw), manifest.digest());
    assertEquals(Format.DOCKER, manifest.format());
    assertEquals("[\"http://x\"]", manifest.layers().get(0).toJson().get("urls").toString());
  }

  @Test
  void createdManifestRoundTrips() {
    Descriptor config = Descriptor.of(MediaType.OCI_CONFIG, Digest.parse(CONFIG_DIGEST), 7);
    Descriptor layer = Descriptor.of(MediaType.OCI_LAYER_ZSTD, Digest.parse(LAYER_DIGEST), 9);
    Manifest manifest = Manifest.create(Format.OCI, config, List.of(layer), Map.of());
    Manifest again = Manifest.parse(manifest.bytes());
    assertEquals(manifest.digest(), again.digest());
    assertEquals(List.of(layer), again.layers());
    assertEquals(MediaType.OCI_MANIFEST, again.mediaType());
  }

  @Test
  void configKeepsUnknownFieldsAndNumbers() {
    String text = "{\"x-custom\":{\"a\":[1,2.50,1.0e10]},\"architecture\":\"amd64\",\"os\":\"linux\","
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + LAYER_DIGEST + "\"]}}";
    ImageConfig config = ImageConfig.parse(text.getBytes(StandardCharsets.UTF_8));
    ImageConfig copy = ImageConfig.of(config.toJson());
    assertEquals(config.toJson(), copy.toJson());
    assertEquals("{\"a\":[1,2.50,1.0E+10]}", copy.toJson().get("x-custom").toString());
    assertEquals(List.of(Digest.parse(LAYER_DIGEST)), copy.diffIds());
  }

  @Test
  void refusesDocumentsThatAreNotImages() {
    assertThrows(InvalidImageException.class, () -> Manifest.parse("[]".getBytes(StandardCharsets.UTF_8)));
    assertThrows(InvalidImageException.class,
        () -> Manifest.parse("{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(InvalidImageException.class,
        () -> ImageConfig.parse("{\"rootfs\":{\"diff_ids\":[\"x\"]}}".getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Found by ImageDocumentsFuzzTest (its seed index-size-beyond-long.json): a size beyond a long
   * was read as its low 64 bits, so 9223372036854775808528 became 528.
   */
  /**
   * Found by ImageDocumentsFuzzTest in a CI-like run (seed config-exponent-beyond-bigdecimal.json):
   * a number whose exponent BigDecimal cannot hold escaped Jackson as a NumberFormatException.
   */
  @Test
  void refusesANumberBigDecimalCannotHold() throws Exception {
    byte[] config;
    try (var in = getClass().getResourceAsStream(
        "ImageDocumentsFuzzTestInputs/documents/config-exponent-beyond-bigdecimal.json")) {
      config = in.readAllBytes();
    }
    InvalidImageException e = assertThrows(InvalidImageException.class, () -> Json.parseObject(config, "config"));
    assertTrue(e.getMessage().startsWith("config is not valid JSON: a number out of range"), e.getMessage());
    assertThrows(InvalidImageException.class,
        () -> Manifest.parse("{\"schemaVersion\":1e400500000000}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void refusesASizeBeyondALong() throws Exception {
    byte[] index;
    try (var in = getClass().getResourceAsStream("ImageDocumentsFuzzTestInputs/documents/index-size-beyond-long.json")) {
      index = in.readAllBytes();
    }
    InvalidImageException e = assertThrows(InvalidImageException.class, () -> Index.parse(index));
    assertEquals("descriptor sha256:" + "b".repeat(64) + " has an invalid size", e.getMessage());
    String manifest = "{\"schemaVersion\":2,\"config\":{\"digest\":\"" + CONFIG_DIGEST
        + "\",\"size\":18446744073709551616},\"layers\":[]}";
    assertThrows(InvalidImageException.class, () -> Manifest.parse(manifest.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void platformsUseRegistryArchitectureNames() {
    assertEquals("linux/arm64", Platform.parse("linux/aarch64").toString());
    assertEquals("linux/arm64", Platform.parse("linux/arm64/v8").toString());
    assertEquals("linux/arm/v7", Platform.parse("linux/arm/v7").toString());
    assertThrows(IllegalArgumentException.class, () -> Platform.parse("linux"));
  }
}
