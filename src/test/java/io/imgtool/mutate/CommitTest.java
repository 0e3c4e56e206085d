package io.imgtool.mutate;

import static io.imgtool.mutate.TestImages.digest;
import static io.imgtool.mutate.TestImages.image;
import static io.imgtool.mutate.TestImages.layer;
import static io.imgtool.mutate.TestImages.newLayer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.IncompatibleFormatException;
import io.imgtool.image.History;
import io.imgtool.image.Image;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.MediaType;
import io.imgtool.image.Platform;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitTest {
  private static final Instant CREATED = Instant.parse("2026-11-29T02:26:34.123456789Z");
  private static final CommitOptions OPTIONS = CommitOptions.at(CREATED);

  private static final String D1 = digest("diff base-1").toString();
  private static final String D2 = digest("diff base-2").toString();

  /** A Docker-built base, with fields imgtool does not model and numbers in unusual spellings. */
  private static final String BASE_CONFIG = "{\"architecture\":\"arm64\",\"variant\":\"v8\","
      + "\"author\":\"Base Maintainers\",\"comment\":\"buildkit.dockerfile.v0\","
      + "\"config\":{\"Env\":[\"PATH=/usr/bin\"],\"Cmd\":[\"bash\"],\"x-runtime\":{\"k\":[1,2.50]}},"
      + "\"container\":\"3f2a\",\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) CMD [\\\"bash\\\"]\"]},"
      + "\"created\":\"2020-01-01T00:00:00Z\",\"docker_version\":\"20.10.7\","
      + "\"history\":[{\"created\":\"2020-01-01T00:00:00Z\",\"created_by\":\"ADD rootfs.tar /\"},"
      + "{\"created\":\"2020-01-01T00:00:00Z\",\"created_by\":\"RUN apt-get update\"},"
      + "{\"created\":\"2020-01-01T00:00:00Z\",\"created_by\":\"CMD [\\\"bash\\\"]\",\"empty_layer\":true}],"
      + "\"os\":\"linux\",\"os.features\":[\"f1\"],"
      + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + D1 + "\",\"" + D2 + "\"]},"
      + "\"x-custom\":{\"a\":[1,2.50],\"big\":1.0e10,\"nested\":{\"z\":null,\"t\":true}}}";

  private static Image dockerBase() {
    return image(BASE_CONFIG, Format.DOCKER, List.of(
        layer(MediaType.DOCKER_LAYER_GZIP, "base-1"),
        layer(MediaType.DOCKER_LAYER_GZIP, "base-2")));
  }

  private static ObjectNode config(Committed committed) {
    return committed.config().toJson();
  }

  @Test
  void keepsUnknownBaseFieldsAsTheyWere() {
    Committed committed = Commit.apply(dockerBase(), null, List.of(newLayer(MediaType.OCI_LAYER_GZIP, "app")), OPTIONS);
    String text = new String(committed.config().bytes(), StandardCharsets.UTF_8);
    assertTrue(text.contains("\"x-runtime\":{\"k\":[1,2.50]}"), text);
    assertTrue(text.contains("\"x-custom\":{\"a\":[1,2.50],"), text);
    assertTrue(text.contains("\"nested\":{\"z\":null,\"t\":true}"), text);
    assertTrue(text.contains("\"os.features\":[\"f1\"]"), text);
    assertTrue(text.contains("\"variant\":\"v8\""), text);
    // The value of 1.0e10 survives; its spelling is Jackson's (1.0E+10), as Docker's is Go's (1e+10).
    assertEquals(0, new BigDecimal("1.0e10").compareTo(config(committed).at("/x-custom/big").decimalValue()));
  }

  @Test
  void appendsDiffIdsHistoryAndLayers() {
    List<NewLayer> layers = List.of(newLayer(MediaType.DOCKER_LAYER_GZIP, "app"),
        newLayer(MediaType.DOCKER_LAYER_GZIP, "config"));
    Committed committed = Commit.apply(dockerBase(), null, layers, OPTIONS);

    assertEquals(List.of(digest("diff base-1"), digest("diff base-2"), digest("diff app"), digest("diff config")),
        committed.config().diffIds());
    List<History> history = committed.config().history();
    assertEquals(5, history.size());
    assertEquals(new History("2026-11-29T02:26:34.123456789Z", "imgtool commit --layer app.tar", null, null, false),
        history.get(3));
    assertEquals("imgtool commit --layer config.tar", history.get(4).createdBy());
    List<Descriptor> manifestLayers = committed.manifest().layers();
    assertEquals(dockerBase().layers(), manifestLayers.subList(0, 2));
    assertEquals(layers.get(1).blob(), manifestLayers.get(3));
    assertEquals(committed.config().digest(), committed.manifest().config().digest());
    assertEquals(committed.config().size(), committed.manifest().config().size());
  }

  @Test
  void replacesWhatDescribedTheBaseBuild() {
    ObjectNode config = config(Commit.apply(dockerBase(), null, List.of(), OPTIONS));
    assertEquals("2026-11-29T02:26:34.123456789Z", config.get("created").asText());
    assertFalse(config.has("container"));
    assertFalse(config.has("container_config"));
    assertFalse(config.has("docker_version"));
    assertFalse(config.has("comment"));
    assertEquals("Base Maintainers", config.get("author").asText());
  }

  @Test
  void recordsAuthorAndMessageAsDockerCommitDoes() {
    CommitOptions options = OPTIONS.withAuthor("Jane <jane@example.com>").withMessage("add the app");
    Committed committed = Commit.apply(dockerBase(), null, List.of(newLayer(MediaType.DOCKER_LAYER_GZIP, "app")), options);
    ObjectNode config = config(committed);
    assertEquals("Jane <jane@example.com>", config.get("author").asText());
    assertEquals("add the app", config.get("comment").asText());
    History last = committed.config().history().get(3);
    assertEquals("Jane <jane@example.com>", last.author());
    assertEquals("add the app", last.comment());
  }

  @Test
  void configOnlyCommitRecordsOneEmptyLayerEntryNamingItsChanges() {
    CommitOptions options = OPTIONS.withChanges(List.of("ENV MODE=prod", "CMD [\"serve\"]")).withMessage("m");
    Committed committed = Commit.apply(dockerBase(), null, List.of(), options);
    assertEquals(2, committed.config().diffIds().size());
    assertEquals(dockerBase().layers(), committed.manifest().layers());
    List<History> history = committed.config().history();
    assertEquals(List.of(new History("2026-11-29T02:26:34.123456789Z",
        "imgtool commit -c 'ENV MODE=prod' -c 'CMD [\"serve\"]'", null, "m", true)), history.subList(3, history.size()));
    JsonNode container = config(committed).get("config");
    assertEquals("[\"PATH=/usr/bin\",\"MODE=prod\"]", container.get("Env").toString());
    assertEquals("[\"serve\"]", container.get("Cmd").toString());
    assertEquals("{\"k\":[1,2.50]}", container.get("x-runtime").toString());
  }

  @Test
  void oneCommitIsOneHistoryEntryAsDockerCommitRecordsIt() {
    CommitOptions options = OPTIONS.withChanges(List.of("CMD [\"vim\"]", "LABEL a=b", "EXPOSE 80", "LABEL note=\"it's\""))
        .withMessage("add vim").withAuthor("me");
    List<History> history = Commit.apply(dockerBase(), null, List.of(newLayer(MediaType.DOCKER_LAYER_GZIP, "app")),
        options).config().history();
    assertEquals(List.of(new History("2026-11-29T02:26:34.123456789Z",
        "imgtool commit --layer app.tar -c 'CMD [\"vim\"]' -c 'LABEL a=b' -c 'EXPOSE 80' -c 'LABEL note=\"it'\\''s\"'",
        "me", "add vim", false)), history.subList(3, history.size()));
  }

  @Test
  void severalLayersNeedAnEntryEachAndTheLastIsTheCommits() {
    CommitOptions options = OPTIONS.withChanges(List.of("WORKDIR /app")).withMessage("two layers");
    List<History> history = Commit.apply(dockerBase(), null, List.of(newLayer(MediaType.DOCKER_LAYER_GZIP, "app"),
        newLayer(MediaType.DOCKER_LAYER_GZIP, "config")), options).config().history();
    assertEquals(List.of(
        new History("2026-11-29T02:26:34.123456789Z", "imgtool commit --layer app.tar", null, null, false),
        new History("2026-11-29T02:26:34.123456789Z", "imgtool commit --layer config.tar -c 'WORKDIR /app'", null,
            "two layers", false)), history.subList(3, history.size()));
  }

  @Test
  void commitWithoutChangesStillRecordsAnEntry() {
    Committed committed = Commit.apply(dockerBase(), null, List.of(), OPTIONS.withMessage("snapshot"));
    History last = committed.config().history().get(3);
    assertTrue(last.emptyLayer());
    assertNull(last.createdBy());
    assertEquals("snapshot", last.comment());
  }

  @Test
  void sameInputsGiveTheSameImage() {
    CommitOptions options = OPTIONS.withChanges(List.of("LABEL a=1 b=2", "EXPOSE 80 443")).withAuthor("me");
    List<NewLayer> layers = List.of(newLayer(MediaType.DOCKER_LAYER_GZIP, "app"));
    Committed first = Commit.apply(dockerBase(), null, layers, options);
    Committed second = Commit.apply(dockerBase(), null, layers, options);
    assertArrayEquals(first.config().bytes(), second.config().bytes());
    assertArrayEquals(first.manifest().bytes(), second.manifest().bytes());
    assertEquals(first.id(), second.id());

    Committed later = Commit.apply(dockerBase(), null, layers,
        new CommitOptions(null, "me", options.changes(), CREATED.plusSeconds(1), options.format()));
    assertNotEquals(first.id(), later.id());
  }

  @Test
  void writesCreatedAsGoRfc3339Nano() {
    assertEquals("2026-11-29T02:26:34Z", createdFor("2026-11-29T02:26:34Z"));
    assertEquals("2026-11-29T02:26:34.12Z", createdFor("2026-11-29T02:26:34.120Z"));
    assertEquals("2026-11-29T02:26:34.000000001Z", createdFor("2026-11-29T02:26:34.000000001Z"));
    assertEquals("1970-01-01T00:00:00Z", createdFor("1970-01-01T00:00:00Z"));
  }

  private static String createdFor(String instant) {
    Committed committed = Commit.apply(dockerBase(), null, List.of(), CommitOptions.at(Instant.parse(instant)));
    assertEquals(committed.config().created(), committed.config().history().get(3).created());
    return committed.config().created();
  }

  @Test
  void keepsTheBaseFormatAndNamesNewLayersForIt() {
    Committed committed = Commit.apply(dockerBase(), null, List.of(newLayer(MediaType.OCI_LAYER_GZIP, "app")), OPTIONS);
    assertEquals(MediaType.DOCKER_MANIFEST, committed.manifest().mediaType());
    assertEquals(MediaType.DOCKER_CONFIG, committed.manifest().config().mediaType());
    assertEquals(MediaType.DOCKER_LAYER_GZIP, committed.manifest().layers().get(2).mediaType());
  }

  @Test
  void convertsDockerToOciKeepingConfigBytesAndLayerFields() {
    Descriptor foreign = layer(MediaType.DOCKER_LAYER_FOREIGN_GZIP, "windows-base")
        .withAnnotation("org.example.note", "kept");
    ObjectNode foreignJson = foreign.toJson();
    foreignJson.putArray("urls").add("https://example.com/base.tar.gz");
    Image base = image(BASE_CONFIG, Format.DOCKER,
        List.of(layer(MediaType.DOCKER_LAYER_GZIP, "base-1"), Descriptor.fromJson(foreignJson)));
    List<NewLayer> layers = List.of(newLayer(MediaType.DOCKER_LAYER_GZIP, "app"));

    Committed docker = Commit.apply(base, null, layers, OPTIONS);
    Committed oci = Commit.apply(base, null, layers, OPTIONS.withFormat(Format.OCI));

    assertEquals(MediaType.OCI_MANIFEST, oci.manifest().mediaType());
    assertEquals(MediaType.OCI_CONFIG, oci.manifest().config().mediaType());
    assertArrayEquals(docker.config().bytes(), oci.config().bytes());
    List<Descriptor> ociLayers = oci.manifest().layers();
    assertEquals(List.of(MediaType.OCI_LAYER_GZIP, MediaType.OCI_LAYER_NONDIST_GZIP, MediaType.OCI_LAYER_GZIP),
        ociLayers.stream().map(Descriptor::mediaType).toList());
    ObjectNode converted = ociLayers.get(1).toJson();
    assertEquals("https://example.com/base.tar.gz", converted.at("/urls/0").asText());
    assertEquals("kept", ociLayers.get(1).annotation("org.example.note"));
    assertEquals(foreign.digest(), ociLayers.get(1).digest());
  }

  @Test
  void convertsOciToDockerAndDropsBaseManifestAnnotations() {
    Image base = image(BASE_CONFIG, Format.OCI, List.of(
            layer(MediaType.OCI_LAYER_GZIP, "base-1"), layer(MediaType.OCI_LAYER_NONDIST_GZIP, "base-2")),
        Map.of("org.opencontainers.image.base.name", "docker.io/library/debian:12"));
    Committed docker = Commit.apply(base, null, List.of(newLayer(MediaType.OCI_LAYER_GZIP, "app")),
        OPTIONS.withFormat(Format.DOCKER));
    assertEquals(MediaType.DOCKER_MANIFEST, docker.manifest().mediaType());
    assertEquals(MediaType.DOCKER_CONFIG, docker.manifest().config().mediaType());
    assertEquals(List.of(MediaType.DOCKER_LAYER_GZIP, MediaType.DOCKER_LAYER_FOREIGN_GZIP, MediaType.DOCKER_LAYER_GZIP),
        docker.manifest().layers().stream().map(Descriptor::mediaType).toList());
    assertFalse(docker.manifest().toJson().has("annotations"));
  }

  @Test
  void refusesNonGzipLayersInDockerFormat() {
    IncompatibleFormatException zstdNew = assertThrows(IncompatibleFormatException.class,
        () -> Commit.apply(dockerBase(), null, List.of(newLayer(MediaType.OCI_LAYER_ZSTD, "app")), OPTIONS));
    assertTrue(zstdNew.getMessage().contains("(zstd) in Docker format, which supports only gzip layers"),
        zstdNew.getMessage());
    assertTrue(zstdNew.getMessage().contains("--format oci"), zstdNew.getMessage());

    Image zstdBase = image(BASE_CONFIG, Format.OCI,
        List.of(layer(MediaType.OCI_LAYER_GZIP, "base-1"), layer(MediaType.OCI_LAYER_ZSTD, "base-2")));
    IncompatibleFormatException zstdOld = assertThrows(IncompatibleFormatException.class,
        () -> Commit.apply(zstdBase, null, List.of(), OPTIONS.withFormat(Format.DOCKER)));
    assertTrue(zstdOld.getMessage().contains(MediaType.OCI_LAYER_ZSTD), zstdOld.getMessage());
  }

  @Test
  void namesUncompressedAndZstdLayersInOci() {
    Image base = image(BASE_CONFIG, Format.OCI,
        List.of(layer(MediaType.OCI_LAYER_GZIP, "base-1"), layer(MediaType.OCI_LAYER_GZIP, "base-2")));
    Committed committed = Commit.apply(base, null,
        List.of(newLayer(MediaType.OCI_LAYER, "plain"), newLayer(MediaType.OCI_LAYER_ZSTD, "small")), OPTIONS);
    assertEquals(List.of(MediaType.OCI_LAYER, MediaType.OCI_LAYER_ZSTD),
        committed.manifest().layers().subList(2, 4).stream().map(Descriptor::mediaType).toList());
  }

  @Test
  void refusesABaseWhoseDiffIdsDoNotMatchItsLayers() {
    Image broken = image(BASE_CONFIG, Format.DOCKER, List.of(layer(MediaType.DOCKER_LAYER_GZIP, "base-1")));
    InvalidImageException e = assertThrows(InvalidImageException.class,
        () -> Commit.apply(broken, null, List.of(), OPTIONS));
    assertTrue(e.getMessage().contains("lists 2 diff_ids but its manifest has 1 layers"), e.getMessage());
  }

  @Test
  void badChangeFailsBeforeAnythingIsBuilt() {
    assertThrows(InvalidInstructionException.class, () -> Commit.apply(dockerBase(), null, List.of(),
        OPTIONS.withChanges(List.of("RUN rm -rf /"))));
  }

  @Test
  void commitsOnScratchForThePlatformInOci() {
    Committed committed = Commit.apply(null, Platform.parse("linux/arm/v7"),
        List.of(newLayer(MediaType.OCI_LAYER_GZIP, "rootfs")), OPTIONS.withChanges(List.of("CMD [\"/app\"]")));
    ObjectNode config = config(committed);
    assertEquals("arm", config.get("architecture").asText());
    assertEquals("v7", config.get("variant").asText());
    assertEquals("linux", config.get("os").asText());
    assertEquals("{\"Cmd\":[\"/app\"]}", config.get("config").toString());
    assertEquals(List.of(digest("diff rootfs")), committed.config().diffIds());
    assertEquals(MediaType.OCI_MANIFEST, committed.manifest().mediaType());
    assertEquals(1, committed.config().history().size());
    assertThrows(IllegalArgumentException.class, () -> Commit.apply(null, null, List.of(), OPTIONS));
  }
}
