package io.imgtool.mutate;

import static io.imgtool.mutate.TestImages.digest;
import static io.imgtool.mutate.TestImages.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imgtool.image.Format;
import io.imgtool.image.Json;
import io.imgtool.image.MediaType;
import io.imgtool.image.Platform;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportTest {
  private static final CommitOptions OPTIONS = CommitOptions.at(Instant.parse("2026-01-02T03:04:05Z"));
  private static final NewLayer ROOTFS =
      new NewLayer(layer(MediaType.OCI_LAYER_GZIP, "rootfs"), digest("diff rootfs"), null);

  @Test
  void writesTheConfigDockerImportWrites() {
    Committed imported = Import.apply(Platform.parse("linux/amd64"), ROOTFS, "-",
        OPTIONS.withChanges(List.of("ENV LANG=C.UTF-8", "CMD [\"/bin/sh\"]")));
    String expected = "{\"created\":\"2026-01-02T03:04:05Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
        + "\"config\":{\"Env\":[\"LANG=C.UTF-8\"],\"Cmd\":[\"/bin/sh\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + digest("diff rootfs") + "\"]},"
        + "\"history\":[{\"created\":\"2026-01-02T03:04:05Z\",\"comment\":\"Imported from -\"}],"
        + "\"comment\":\"Imported from -\"}";
    assertEquals(expected, new String(imported.config().bytes(), StandardCharsets.UTF_8));
    assertEquals(MediaType.OCI_MANIFEST, imported.manifest().mediaType());
    assertEquals(List.of(ROOTFS.blob()), imported.manifest().layers());
  }

  @Test
  void messageReplacesTheImportedFromComment() {
    Committed imported = Import.apply(Platform.parse("linux/arm64"), ROOTFS, "rootfs.tar",
        OPTIONS.withMessage("nightly rootfs"));
    assertEquals("nightly rootfs", imported.config().history().get(0).comment());
    assertEquals("nightly rootfs", imported.config().toJson().get("comment").asText());
    assertEquals("{}", imported.config().toJson().get("config").toString());
  }

  @Test
  void canWriteDockerFormat() {
    Committed imported = Import.apply(Platform.parse("linux/amd64"), ROOTFS, "-", OPTIONS.withFormat(Format.DOCKER));
    assertEquals(MediaType.DOCKER_MANIFEST, imported.manifest().mediaType());
    assertEquals(MediaType.DOCKER_LAYER_GZIP, imported.manifest().layers().get(0).mediaType());
    Committed again = Import.apply(Platform.parse("linux/amd64"), ROOTFS, "-", OPTIONS.withFormat(Format.DOCKER));
    assertArrayEquals(Json.bytes(imported.manifest().toJson()), Json.bytes(again.manifest().toJson()));
  }
}
