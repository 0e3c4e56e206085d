package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.cli.Cli;
import io.imgtool.image.Json;
import io.imgtool.registry.it.ForeignImages;
import io.imgtool.registry.it.ForeignImages.ForeignImage;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.FsTree;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import io.imgtool.testing.TreeHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images move without a registry, and between registries without the store: save is read by
 * skopeo (docker-archive: and oci-archive:), podman load and umoci; what skopeo writes loads and
 * serves as a base; push and copy write archives and layouts; copy between registries and a
 * multi-platform image's round trip through an archive keep every digest.
 */
class InterchangeIT {
  @TempDir static Path dir;
  static RegistryFixture registry;
  static ForeignImages foreign;
  static Cli cli;
  static Path layer;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry", "skopeo", "umoci", "podman", "buildah", "getfattr");
    Judges.requireRoot();
    registry = RegistryFixture.plain(dir.resolve("registry"));
    foreign = new ForeignImages(registry);
    cli = new Cli(Files.createDirectories(dir.resolve("home")));
    Path rootfs = Tars.create().dir("bin").file("bin/sh", "#!shell", 0100755).dir("etc")
        .file("etc/os-release", "NAME=interchange\n").symlink("etc/link", "os-release").writeGzip(dir.resolve("rootfs.tgz"));
    layer = Tars.create().dir("srv").file("srv/app", "the app\n").write(dir.resolve("app.tar"));
    cli.run("import", rootfs.toString(), "base:1").ok();
    cli.run("commit", "--layer", layer.toString(), "--format", "docker", "base:1", "app:1").ok();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void saveIsReadBySkopeoPodmanAndUmoci() throws Exception {
    Path archive = dir.resolve("app.tar");
    cli.run("save", "-o", archive.toString(), "app:1", "base:1").ok();
    assertEquals(Files.getPosixFilePermissions(Files.createFile(dir.resolve("umask-probe"))),
        Files.getPosixFilePermissions(archive), "the archive's mode is the umask's, as docker save's is");
    List<String> entries = entryNames(archive);
    assertEquals(entries.stream().distinct().toList(), entries, "every blob once, though app:1 shares base:1's layer");
    assertTrue(entries.containsAll(List.of("manifest.json", "repositories", "oci-layout", "index.json")), entries.toString());
    assertEquals(id("app:1"), skopeoInspectConfigDigest("docker-archive:" + archive + ":app:1"));
    JsonNode oci = skopeoInspect("oci-archive:" + archive + ":1"); // Docker 25+ writes the tag as ref.name
    assertEquals(2, oci.get("Layers").size(), oci.toString());

    Path storage = dir.resolve("podman-load");
    try {
      Tools.Result loaded = Judges.podman(storage, "load", "-i", archive.toString());
      assertEquals(0, loaded.exit(), loaded.toString());
      assertTrue(loaded.out().contains("app:1") && loaded.out().contains("base:1"), loaded.out());
    } finally {
      Judges.cleanStorage(storage);
    }

    Judges.skopeoCopy("docker-archive:" + archive + ":app:1", "oci:" + dir.resolve("umoci-layout") + ":img").orFail();
    Judges.umociUnpack(dir.resolve("umoci-layout"), "img", dir.resolve("umoci-bundle")).orFail();
    Path ours = dir.resolve("app-unpacked");
    cli.run("unpack", "app:1", ours.toString()).ok();
    assertEquals(List.of(), FsTree.of(dir.resolve("umoci-bundle/rootfs")).diff(FsTree.of(ours)), "umoci (-), imgtool (+)");
  }

  @Test
  void saveAndLoadThroughPipesKeepEveryDigest() throws Exception {
    Cli.Result saved = cli.run("save", "app:1").ok();
    Cli other = new Cli(Files.createDirectories(dir.resolve("piped")));
    Cli.Result loaded = other.stdin(Tars.gzip(saved.bytes())).run("load").ok();
    assertEquals(List.of("Loaded image: app:1"), loaded.out().lines().toList());
    assertEquals(inspect(cli, "app:1").get("Digest"), inspect(other, "app:1").get("Digest"), "the Docker manifest's digest");
    assertEquals(id("app:1"), inspect(other, "app:1").get("Id").asText());
    assertEquals("docker", inspect(other, "app:1").get("Format").asText());
  }

  /**
   * docker save before Docker 25: layers as {@code <id>/layer.tar} beside {@code <id>/json}, the
   * config as {@code <config-hex>.json}, no OCI layout; here zstd-compressed as a CI cache keeps it.
   */
  @Test
  void anArchiveInDockersOldLayoutLoadsCompressedWithItsNameAndDiffIds() throws Exception {
    byte[] first = Tars.create().dir("etc").file("etc/hostname", "old\n").bytes();
    byte[] second = Tars.create().file("etc/motd", "docker 24\n").bytes();
    String firstId = sha256Hex(first);
    String secondId = sha256Hex(second);
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + firstId + "\",\"sha256:" + secondId + "\"]}}";
    String configHex = sha256Hex(config.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String manifest = "[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"legacy/app:24\"],"
        + "\"Layers\":[\"" + firstId + "/layer.tar\",\"" + secondId + "/layer.tar\"]}]";
    byte[] archive = Tars.create()
        .dir(firstId).file(firstId + "/VERSION", "1.0").file(firstId + "/json", "{}").file(firstId + "/layer.tar", first)
        .dir(secondId).file(secondId + "/VERSION", "1.0").file(secondId + "/json", "{}").file(secondId + "/layer.tar", second)
        .file(configHex + ".json", config).file("manifest.json", manifest)
        .file("repositories", "{\"legacy/app\":{\"24\":\"" + secondId + "\"}}").bytes();
    Cli old = new Cli(Files.createDirectories(dir.resolve("old-layout")));
    Cli.Result loaded = old.stdin(Tars.zstd(archive)).run("load").ok();
    assertEquals(List.of("Loaded image: legacy/app:24"), loaded.out().lines().toList());
    JsonNode inspected = inspect(old, "legacy/app:24");
    assertEquals("sha256:" + configHex, inspected.get("Id").asText(), "the config's bytes are kept");
    assertEquals("sha256:" + secondId, inspected.at("/RootFS/Layers/1").asText());

    String target = registry.registry() + "/interchange/legacy:24";
    old.run("push", "legacy/app:24", target).ok();
    assertEquals(2, Json.MAPPER.readTree(Judges.skopeoRaw(target)).get("layers").size());
    Path unpacked = dir.resolve("old-layout-rootfs");
    old.run("unpack", "legacy/app:24", unpacked.toString()).ok();
    assertEquals("docker 24\n", Files.readString(unpacked.resolve("etc/motd")));

    byte[] lying = new String(archive, java.nio.charset.StandardCharsets.ISO_8859_1)
        .replace("docker 24", "docker 42").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Cli.Result refused = new Cli(Files.createDirectories(dir.resolve("old-lying"))).stdin(lying).run("load");
    assertEquals(1, refused.exit(), refused.toString());
    assertTrue(refused.err().contains(secondId.substring(0, 12)) || refused.err().contains("diff"), refused.err());
  }

  private static String sha256Hex(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void whatSkopeoWritesLoadsAndServesAsABase() throws Exception {
    ForeignImage pretty = foreign.dockerPretty("interchange/pretty");
    Path old = dir.resolve("skopeo-docker.tar");
    Judges.skopeoCopy("docker://" + pretty.reference(), "docker-archive:" + old + ":vendor/app:7").orFail();
    Cli fresh = new Cli(Files.createDirectories(dir.resolve("vendor")));
    assertEquals(List.of("Loaded image: vendor/app:7"), fresh.run("load", "-i", old.toString()).ok().out().lines().toList());

    Path layout = dir.resolve("skopeo-layout");
    Judges.skopeoCopy("docker://" + pretty.reference(), "oci:" + layout + ":v1").orFail();
    String id = fresh.run("commit", "--layer", layer.toString(), "oci:" + layout + ":v1", "built:1").ok().line();
    assertTrue(id.startsWith("sha256:"), id);
    String target = registry.registry() + "/interchange/built:1";
    fresh.run("push", "built:1", target).ok();
    assertEquals(2 + 1, Json.MAPPER.readTree(Judges.skopeoRaw(target)).get("layers").size());

    Path ociArchive = dir.resolve("skopeo-oci.tar");
    Judges.skopeoCopy("docker://" + pretty.reference(), "oci-archive:" + ociArchive + ":vendor/app:8").orFail();
    String pulled = fresh.run("pull", "oci-archive:" + ociArchive).ok().line();
    assertTrue(pulled.startsWith("vendor/app@sha256:"), pulled); // REPOSITORY@digest, as pull prints from a registry
  }

  @Test
  void pushWritesArchivesAndLayoutsThatSkopeoReads() throws Exception {
    String digest = inspect(cli, "app:1").get("Digest").asText();
    Path layout = dir.resolve("pushed-layout");
    cli.run("push", "base:1", "oci:" + layout + ":v1").ok();
    cli.run("push", "app:1", "oci:" + layout + ":v2").ok();
    assertTrue(skopeoInspect("oci:" + layout + ":v2").get("Layers").size() == 2);
    Path archive = dir.resolve("pushed-docker.tar");
    String line = cli.run("push", "app:1", "docker-archive:" + archive + ":mine/app:2").ok().line();
    assertTrue(line.endsWith("@" + digest), line);
    assertEquals(id("app:1"), skopeoInspectConfigDigest("docker-archive:" + archive));
    Path ociArchive = dir.resolve("pushed-oci.tar");
    cli.run("push", "app:1", "oci-archive:" + ociArchive + ":v3").ok();
    assertTrue(skopeoInspect("oci-archive:" + ociArchive + ":v3").get("Layers").size() == 2);
  }

  @Test
  void copyBetweenRegistriesKeepsEveryDigestAndMountsWithinOne() throws Exception {
    ForeignImage pretty = foreign.dockerPretty("interchange/staging");
    try (RegistryFixture production = RegistryFixture.plain(dir.resolve("production"))) {
      String target = production.registry() + "/app:release";
      String copied = cli.run("copy", pretty.reference(), "docker://" + target).ok().line();
      assertEquals(production.registry() + "/app@" + pretty.digest(), copied);
      assertArrayEquals(pretty.manifest(), Judges.skopeoRaw(target));
    }
    Cli.Result within = cli.run("copy", pretty.reference(), registry.registry() + "/interchange/promoted:1").ok();
    assertTrue(within.err().contains("Mounted from interchange/staging"), within.err());
  }

  @Test
  void aMultiPlatformImageKeepsItsIndexDigestThroughCopyStoreAndArchive() throws Exception {
    ForeignImage buildah = foreign.buildahIndex(dir.resolve("buildah"), "interchange/buildah-list");
    for (ForeignImage index : List.of(buildah, foreign.ociIndex("interchange/oci-index"), foreign.dockerList("interchange/list"))) {
      String copy = registry.registry() + "/interchange/copied-" + Math.abs(index.digest().hashCode()) + ":1";
      cli.run("copy", "--all-platforms", index.reference(), copy).ok();
      assertArrayEquals(index.manifest(), Judges.skopeoRaw(copy), "copy --all-platforms keeps the index's bytes");

      Path layout = dir.resolve("all-" + Math.abs(index.digest().hashCode()));
      cli.run("copy", "--all-platforms", index.reference(), "oci:" + layout + ":all").ok();
      JsonNode inLayout = Json.MAPPER.readTree(
          Tools.run(Judges.command("skopeo"), "inspect", "--raw", "oci:" + layout + ":all").orFail().out());
      assertEquals(index.manifestJson().get("manifests").size(), inLayout.get("manifests").size(), "skopeo reads the index");
      String viaLayout = registry.registry() + "/interchange/via-layout-" + Math.abs(index.digest().hashCode()) + ":1";
      cli.run("copy", "--all-platforms", "oci:" + layout + ":all", viaLayout).ok();
      assertArrayEquals(index.manifest(), Judges.skopeoRaw(viaLayout), "registry → layout → registry");

      Cli store = new Cli(Files.createDirectories(dir.resolve("multi-" + Math.abs(index.digest().hashCode()))));
      assertTrue(store.run("pull", "--all-platforms", index.reference()).ok().line().endsWith("@" + index.digest()));
      JsonNode inspected = inspect(store, index.reference());
      assertEquals(index.digest(), inspected.get("Id").asText(), "known by its index, as Docker's containerd store");
      assertTrue(inspected.get("Platforms").toString().contains("linux/arm64"), inspected.toString());
      assertTrue(store.run("images", "--no-trunc").ok().out().contains(index.digest()));

      Cli.Result none = store.run("pull", "--platform", "linux/s390x", index.reference());
      assertEquals(1, none.exit(), none.toString());
      assertTrue(none.err().contains("linux/amd64") && none.err().contains("linux/arm64"), "lists the platforms: " + none.err());
      Path arm = store.store().resolveSibling("arm.tar");
      store.run("save", "--platform", "linux/arm64", "-o", arm.toString(), index.reference()).ok();
      assertEquals("arm64", skopeoInspect("docker-archive:" + arm).get("Architecture").asText());

      Path archive = store.store().resolveSibling("multi.tar");
      store.run("save", "-o", archive.toString(), index.reference()).ok();
      Cli armOnly = new Cli(Files.createDirectories(store.store().resolveSibling("arm-only")));
      armOnly.run("load", "--platform", "linux/arm64", "-i", archive.toString()).ok();
      JsonNode arm64 = inspect(armOnly, index.reference());
      assertEquals("arm64", arm64.get("Architecture").asText());
      assertFalse(arm64.has("Platforms"), "load --platform keeps one image: " + arm64);
      Cli loaded = new Cli(Files.createDirectories(store.store().resolveSibling("loaded")));
      loaded.run("load", "-i", archive.toString()).ok();
      String back = registry.registry() + "/interchange/back-" + Math.abs(index.digest().hashCode()) + ":1";
      String pushed = loaded.run("push", index.reference(), back).ok().line();
      assertTrue(pushed.endsWith("@" + index.digest()), pushed);
      assertArrayEquals(index.manifest(), Judges.skopeoRaw(back), "registry → store → archive → store → registry");
      Path pushedArchive = store.store().resolveSibling("pushed-all.tar");
      loaded.run("push", index.reference(), "oci-archive:" + pushedArchive).ok();
      String fromArchive = registry.registry() + "/interchange/from-archive-" + Math.abs(index.digest().hashCode()) + ":1";
      cli.run("copy", "--all-platforms", "oci-archive:" + pushedArchive, fromArchive).ok();
      assertArrayEquals(index.manifest(), Judges.skopeoRaw(fromArchive), "push to an archive keeps the index whole");
    }
  }

  @Test
  void aBadArchiveChangesNothingInTheStore() throws Exception {
    Path archive = dir.resolve("bad.tar");
    cli.run("save", "-o", archive.toString(), "app:1").ok();
    byte[] bytes = Files.readAllBytes(archive);
    Cli other = new Cli(Files.createDirectories(dir.resolve("bad")));
    other.run("import", layer.toString(), "existing:1").ok();
    String before = TreeHash.of(other.store());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
    Cli.Result refused = other.stdin(truncated).run("load");
    assertEquals(1, refused.exit(), refused.toString());
    assertFalse(refused.err().contains("Exception"), refused.err());
    assertEquals(before, TreeHash.of(other.store()));
    bytes[firstGzipBlob(bytes) + 12] ^= 0x55; // past the gzip header, inside the compressed data
    Cli.Result corrupt = other.stdin(bytes).run("load");
    assertEquals(1, corrupt.exit(), corrupt.toString());
    assertEquals(before, TreeHash.of(other.store()));
  }

  /**
   * A load from a file checks its layers side by side (each decompressed to check its diffID):
   * every layer lands and hashes to its name, and a damaged one among many refuses the archive
   * and leaves the store as it was.
   */
  @Test
  void aManyLayeredArchiveLoadsFromAFileEveryLayerChecked() throws Exception {
    String image = "base:1";
    for (int i = 1; i <= 5; i++) {
      Path change = Tars.create().dir("srv").file("srv/part" + i, Tars.mixedContent(4 << 20, i))
          .write(dir.resolve("part" + i + ".tar"));
      cli.run("commit", "--layer", change.toString(), image, "layered:" + i).ok();
      image = "layered:" + i;
    }
    Path archive = dir.resolve("layered.tar");
    cli.run("save", "-o", archive.toString(), image).ok();
    Cli other = new Cli(Files.createDirectories(dir.resolve("layered")));
    other.run("load", "-i", archive.toString()).ok();
    assertEquals(inspect(cli, image).get("Id"), inspect(other, image).get("Id"));
    assertEquals(inspect(cli, image).get("RootFS"), inspect(other, image).get("RootFS"));
    other.run("check").ok();

    Cli fresh = new Cli(Files.createDirectories(dir.resolve("layered-bad")));
    fresh.run("import", layer.toString(), "existing:1").ok();
    String before = TreeHash.of(fresh.store());
    byte[] bytes = Files.readAllBytes(archive);
    bytes[lastGzipBlob(bytes) + 12] ^= 0x55;
    Path damaged = Files.write(dir.resolve("layered-bad.tar"), bytes);
    Cli.Result refused = fresh.run("load", "-i", damaged.toString());
    assertEquals(1, refused.exit(), refused.toString());
    assertFalse(refused.err().contains("Exception"), refused.err());
    assertEquals(before, TreeHash.of(fresh.store()));
  }

  /** The start of the archive's last gzip blob: blobs start on a tar block, and nothing else there is gzip. */
  private static int lastGzipBlob(byte[] archive) {
    for (int i = (archive.length - 2) / 512 * 512; i >= 0; i -= 512) {
      if (archive[i] == 0x1f && archive[i + 1] == (byte) 0x8b) {
        return i;
      }
    }
    throw new AssertionError("no gzip blob in the archive");
  }

  /** Tar headers and JSON are text, so the first gzip magic number starts a layer blob. */
  private static int firstGzipBlob(byte[] archive) {
    for (int i = 0; i + 1 < archive.length; i++) {
      if (archive[i] == 0x1f && archive[i + 1] == (byte) 0x8b) {
        return i;
      }
    }
    throw new AssertionError("no gzip blob in the archive");
  }

  private static List<String> entryNames(Path archive) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(archive))) {
      for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  private static String id(String name) throws Exception {
    return inspect(cli, name).get("Id").asText();
  }

  private static JsonNode inspect(Cli cli, String name) throws Exception {
    return Json.MAPPER.readTree(cli.run("inspect", name).ok().out()).get(0);
  }

  private static JsonNode skopeoInspect(String reference) throws Exception {
    return Json.MAPPER.readTree(Tools.run(Judges.command("skopeo"), "inspect", reference).orFail().out());
  }

  /** The image ID skopeo sees: the config digest of the raw manifest it builds or reads. */
  private static String skopeoInspectConfigDigest(String reference) throws Exception {
    JsonNode raw = Json.MAPPER.readTree(Tools.run(Judges.command("skopeo"), "inspect", "--raw", reference).orFail().out());
    return raw.at("/config/digest").asText();
  }
}
