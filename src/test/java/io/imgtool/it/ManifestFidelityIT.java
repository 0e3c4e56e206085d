package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.cli.Cli;
import io.imgtool.image.Json;
import io.imgtool.registry.it.ForeignImages;
import io.imgtool.registry.it.ForeignImages.ForeignImage;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images the world makes keep their digests: registry → store → registry, for Docker v2s2
 * (pretty-printed as docker push writes it, and compact), OCI with annotations, OCI indexes and
 * Docker manifest lists, and what buildah pushes. Judged by skopeo's raw bytes and sha256, and by
 * the registry's own answers. Schema 1 is refused at once; a lazy image is completed by pull and
 * then read by skopeo and umoci.
 */
class ManifestFidelityIT {
  @TempDir static Path dir;
  static RegistryFixture registry;
  static ForeignImages foreign;
  static final Map<String, ForeignImage> IMAGES = new LinkedHashMap<>();

  @BeforeAll
  static void pushImagesAsTheWorldMakesThem() throws Exception {
    Judges.require("docker-registry", "skopeo", "umoci", "buildah");
    Judges.requireRoot();
    registry = RegistryFixture.plain(dir.resolve("registry"));
    foreign = new ForeignImages(registry);
    IMAGES.put("docker-pretty", foreign.dockerPretty("world/docker-pretty"));
    IMAGES.put("docker-compact", foreign.dockerCompact("world/docker-compact"));
    IMAGES.put("oci-annotated", foreign.ociAnnotated("world/oci-annotated"));
    IMAGES.put("oci-index", foreign.ociIndex("world/oci-index"));
    IMAGES.put("docker-list", foreign.dockerList("world/docker-list"));
    ForeignImages.BuildahImages buildah = foreign.buildah(dir.resolve("buildah"), "world/buildah");
    IMAGES.put("buildah-oci", buildah.oci());
    IMAGES.put("buildah-docker", buildah.docker());
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  static Stream<String> kinds() {
    return Stream.of("docker-pretty", "docker-compact", "oci-annotated", "oci-index", "docker-list",
        "buildah-oci", "buildah-docker");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aPulledImageIsPushedElsewhereAsTheExactBytesTheRegistryServed(String kind) throws Exception {
    ForeignImage image = IMAGES.get(kind);
    Cli cli = new Cli(Files.createDirectories(dir.resolve("round-trip-" + kind)));
    String pulled = cli.run("pull", "--platform", "linux/arm64", image.reference()).ok().line();
    assertEquals(image.reference().replaceFirst(":[^:/]+$", "") + "@" + image.digest(), pulled,
        "pull prints the digest the registry holds, as push does");

    // The manifest that is pushed: the image's own, or for an index the chosen platform's.
    byte[] expected = isIndex(image) ? platformManifest(image, "arm64") : image.manifest();
    String expectedDigest = RegistryFixture.sha256(expected);
    String copy = registry.registry() + "/copies/" + kind + ":1";
    String pushed = cli.run("push", image.reference(), copy).ok().line();
    assertEquals(registry.registry() + "/copies/" + kind + "@" + expectedDigest, pushed);
    byte[] raw = Judges.skopeoRaw(copy);
    assertArrayEquals(expected, raw, "skopeo reads the very bytes the first registry served");

    // What images --digests and inspect show is what the registry holds.
    String table = cli.run("images", "--digests", "--no-trunc").ok().out();
    assertTrue(table.contains(image.digest()), table);
    JsonNode inspect = inspect(cli, image.reference());
    assertTrue(inspect.get("RepoDigests").toString().contains(image.digest()), inspect.toString());
    assertTrue(inspect.get("RepoDigests").toString().contains("copies/" + kind + "@" + expectedDigest),
        "the push is recorded, as Docker does: " + inspect.get("RepoDigests"));
    // The store stays an OCI layout that skopeo reads, whatever the image's own format.
    Tools.run(Judges.command("skopeo"), "inspect", "oci:" + cli.store() + ":" + storeName(image)).orFail();
  }

  @Test
  void aMultiPlatformPullKnowsTheImageByItsIndexDigest() throws Exception {
    ForeignImage index = IMAGES.get("oci-index");
    String repository = index.reference().substring(0, index.reference().lastIndexOf(':'));
    Cli cli = new Cli(Files.createDirectories(dir.resolve("index-digest")));
    String pulled = cli.run("pull", "--platform", "linux/arm64", index.byDigest()).ok().line();
    assertEquals(repository + "@" + index.digest(), pulled);

    JsonNode byIndex = inspect(cli, repository + "@" + index.digest());
    String armManifest = RegistryFixture.sha256(platformManifest(index, "arm64"));
    assertEquals(armManifest, byIndex.get("Digest").asText());
    assertEquals(index.digest(), byIndex.get("IndexDigest").asText());
    assertEquals("arm64", byIndex.get("Architecture").asText());
    // Pulled by digest only: untagged, shown under its repository as docker images does.
    List<String> rows = cli.run("images", "--digests").ok().out().lines().skip(1).toList();
    assertEquals(1, rows.size(), rows.toString());
    assertTrue(rows.get(0).matches(java.util.regex.Pattern.quote(repository) + "\\s+<none>\\s+"
        + index.digest() + "\\s.*"), rows.get(0));
  }

  @Test
  void schema1IsRefusedAtOnceWithTheWayOut() throws Exception {
    try (RegistryFixture old = RegistryFixture.schema1(dir.resolve("schema1"))) {
      Tools.run(Judges.command("skopeo"), "--insecure-policy", "copy", "--format", "v2s1", "--src-tls-verify=false",
          "--dest-tls-verify=false", "docker://" + IMAGES.get("docker-compact").reference(),
          "docker://" + old.registry() + "/old:1").orFail();
      Cli cli = new Cli(Files.createDirectories(dir.resolve("schema1-client")));
      for (String[] command : List.of(new String[] {"pull", old.registry() + "/old:1"},
          new String[] {"commit", old.registry() + "/old:1", "new:1"})) {
        Cli.Result refused = cli.run(command);
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("schema 1"), refused.err());
        assertTrue(refused.err().contains("Push the image again"), refused.err());
        assertFalse(refused.err().contains("retrying") || refused.err().contains("altered"), refused.err());
        assertFalse(refused.err().contains("Exception"), refused.err());
      }
    }
  }

  @Test
  void aLazyImageIsCompletedByPullAndThenReadByUmociAndSkopeo() throws Exception {
    Cli cli = new Cli(Files.createDirectories(dir.resolve("lazy")));
    Path layer = Tars.create().dir("srv").file("srv/app", "the app\n").write(dir.resolve("app.tar"));
    String base = IMAGES.get("docker-pretty").reference();
    String id = cli.run("commit", "--layer", layer.toString(), base, "app:1").ok().line();
    String name = "docker.io/library/app:1";

    JsonNode lazy = inspect(cli, "app:1");
    assertTrue(lazy.path("Lazy").asBoolean(), lazy.toString());
    assertTrue(cli.run("images").ok().err().contains("imgtool pull NAME"), "images says how to complete it");
    Tools.Result before = Tools.run(Judges.command("skopeo"), "copy", "oci:" + cli.store() + ":" + name,
        "oci:" + dir.resolve("lazy-copy-before") + ":app");
    assertNotEquals(0, before.exit(), "the base layers are not in the store yet: " + before);

    String completed = cli.run("pull", "app:1").ok().line();
    assertTrue(completed.startsWith("app@sha256:"), completed);
    assertFalse(inspect(cli, "app:1").has("Lazy"));
    assertEquals(id, inspect(cli, "app:1").get("Id").asText());
    Path copy = dir.resolve("lazy-copy");
    Tools.run(Judges.command("skopeo"), "copy", "oci:" + cli.store() + ":" + name, "oci:" + copy + ":app").orFail();
    Judges.umociUnpack(cli.store(), name, dir.resolve("lazy-bundle")).orFail();
    assertEquals("the app\n", Files.readString(dir.resolve("lazy-bundle/rootfs/srv/app")));
    assertTrue(Files.exists(dir.resolve("lazy-bundle/rootfs/srv/data.txt")), "the base's layers are there too");
  }

  private static boolean isIndex(ForeignImage image) throws Exception {
    return image.manifestJson().has("manifests");
  }

  /** The exact bytes of the platform's manifest that the index names. */
  private static byte[] platformManifest(ForeignImage index, String architecture) throws Exception {
    String repository = index.reference().substring(index.reference().indexOf('/') + 1,
        index.reference().lastIndexOf(':'));
    for (JsonNode entry : index.manifestJson().get("manifests")) {
      if (architecture.equals(entry.at("/platform/architecture").asText())) {
        return registry.getManifest(repository, entry.get("digest").asText()).bytes();
      }
    }
    throw new AssertionError("no " + architecture + " in " + index.reference());
  }

  /** The name the store's index.json gives the image (the full normalised name). */
  private static String storeName(ForeignImage image) {
    return image.reference();
  }

  private static JsonNode inspect(Cli cli, String name) throws Exception {
    return Json.MAPPER.readTree(cli.run("inspect", name).ok().out()).get(0);
  }
}
