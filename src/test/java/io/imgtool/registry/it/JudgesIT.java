package io.imgtool.registry.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.registry.it.ForeignImages.BuildahImages;
import io.imgtool.registry.it.ForeignImages.ForeignImage;
import io.imgtool.testing.Containerd;
import io.imgtool.testing.FsTree;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judges themselves, without imgtool: every kind of {@link ForeignImages} is read byte for
 * byte by skopeo, pulled by podman, buildah and containerd, a busybox image runs under
 * containerd, and umoci and podman unpack the same image to the same tree.
 */
class JudgesIT {
  @TempDir static Path dir;
  static RegistryFixture registry;
  static Map<String, ForeignImage> images = new LinkedHashMap<>();
  static BuildahImages buildah;
  static ForeignImage busybox;
  /** How long each judge took, summed over its calls, printed at the end to keep an eye on the IT's budget. */
  static final Map<String, Duration> TIMES = new LinkedHashMap<>();
  static final Map<String, Integer> CALLS = new LinkedHashMap<>();

  @BeforeAll
  static void pushForeignImages() throws Exception {
    Judges.require("docker-registry", "skopeo", "umoci", "podman", "buildah", "getfattr", "setfattr", "setcap", "busybox");
    Judges.requireRoot();
    registry = RegistryFixture.plain(dir.resolve("registry"));
    ForeignImages foreign = new ForeignImages(registry);
    images.put("docker pretty", timed("build docker pretty", () -> foreign.dockerPretty("foreign/docker-pretty")));
    images.put("docker compact", timed("build docker compact", () -> foreign.dockerCompact("foreign/docker-compact")));
    images.put("oci annotated", timed("build oci annotated", () -> foreign.ociAnnotated("foreign/oci-annotated")));
    images.put("oci index", timed("build oci index", () -> foreign.ociIndex("foreign/oci-index")));
    images.put("docker list", timed("build docker list", () -> foreign.dockerList("foreign/docker-list")));
    busybox = timed("build busybox", () -> foreign.busybox("foreign/busybox"));
    images.put("busybox", busybox);
    buildah = timed("build with buildah (2 commits, 2 pushes)", () -> foreign.buildah(dir.resolve("buildah"), "foreign/buildah"));
    images.put("buildah oci", buildah.oci());
    images.put("buildah docker", buildah.docker());
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    TIMES.forEach((what, time) -> System.err.printf("JudgesIT: %-42s %6d ms in %2d calls, %5d ms each%n",
        what, time.toMillis(), CALLS.get(what), time.toMillis() / CALLS.get(what)));
  }

  static <T> T timed(String what, Callable<T> action) throws Exception {
    Instant start = Instant.now();
    try {
      return action.call();
    } finally {
      TIMES.merge(what, Duration.between(start, Instant.now()), Duration::plus);
      CALLS.merge(what, 1, Integer::sum);
    }
  }

  @Test
  void skopeoReadsEveryManifestByteForByte() throws Exception {
    for (Map.Entry<String, ForeignImage> image : images.entrySet()) {
      byte[] raw = timed("skopeo inspect --raw", () -> Judges.skopeoRaw(image.getValue().reference()));
      assertArrayEquals(image.getValue().manifest(), raw, image.getKey());
      assertEquals(image.getValue().digest(), RegistryFixture.sha256(raw), image.getKey());
    }
  }

  @Test
  void dockerPushesManifestsIndentedWithThreeSpaces() throws Exception {
    String pretty = new String(images.get("docker pretty").manifest(), StandardCharsets.UTF_8);
    assertTrue(pretty.startsWith("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + ForeignImages.DOCKER_MANIFEST
        + "\",\n   \"config\": {\n      \"mediaType\": \"" + ForeignImages.DOCKER_CONFIG + "\",\n      \"size\": "), pretty);
    assertTrue(pretty.endsWith("\n   ]\n}"), pretty);
    ForeignImage compact = images.get("docker compact");
    assertNotEquals(images.get("docker pretty").digest(), compact.digest());
    assertEquals(images.get("docker pretty").manifestJson(), compact.manifestJson(), "the same image");
    assertEquals(3, images.get("oci index").manifestJson().get("manifests").size());
  }

  @Test
  void podmanPullsEveryImage() throws Exception {
    Path storage = dir.resolve("podman");
    try {
      for (Map.Entry<String, ForeignImage> image : images.entrySet()) {
        Tools.Result pulled = timed("podman pull", () -> Judges.podmanPull(storage, image.getValue().reference()));
        assertEquals(0, pulled.exit(), image.getKey() + ": " + pulled);
      }
    } finally {
      Judges.cleanStorage(storage);
    }
  }

  @Test
  void buildahPullsEveryImage() throws Exception {
    Path storage = dir.resolve("buildah-pull");
    try {
      for (Map.Entry<String, ForeignImage> image : images.entrySet()) {
        Tools.Result pulled = timed("buildah pull", () -> Judges.buildahPull(storage, image.getValue().reference()));
        assertEquals(0, pulled.exit(), image.getKey() + ": " + pulled);
      }
    } finally {
      Judges.cleanStorage(storage);
    }
  }

  @Test
  void containerdPullsEveryImageAndRunsBusybox() throws Exception {
    try (Containerd containerd = timed("containerd start (to ctr version)", () -> Containerd.start(dir.resolve("ctrd")))) {
      for (Map.Entry<String, ForeignImage> image : images.entrySet()) {
        Tools.Result pulled = timed("ctr images pull", () -> containerd.pull(image.getValue().reference()));
        assertEquals(0, pulled.exit(), image.getKey() + ": " + pulled);
      }
      String out = timed("ctr run --rm", () -> containerd.run(busybox.reference(), "/bin/busybox", "echo", "ok"));
      assertEquals("ok\n", out);
    }
  }

  @Test
  void podmanRejectsAHardLinkToAFileOfAnotherLayer() throws Exception {
    ForeignImage image = new ForeignImages(registry).ociOf("foreign/cross-layer-link", "1",
        Tars.create().dir("etc").file("etc/target", "in the first layer\n"),
        Tars.create().dir("etc").hardLink("etc/link", "etc/target"));
    Path storage = dir.resolve("podman-link");
    try {
      Tools.Result pulled = Judges.podmanPull(storage, image.reference());
      assertNotEquals(0, pulled.exit(), pulled.toString());
      // Each layer is applied into its own directory: the link's target is not there.
      assertTrue(pulled.err().contains("processing tar file(no such file or directory)"), pulled.err());
    } finally {
      Judges.cleanStorage(storage);
    }
  }

  /** The judges disagree here: a layer whose hard-link header has another mode than its target. */
  @Test
  void podmanAppliesAHardLinkHeadersModeToTheSharedInodeAndUmociDoesNot() throws Exception {
    ForeignImage image = new ForeignImages(registry).ociOf("foreign/link-mode", "1",
        Tars.create().dir("bin").file("bin/tool", "#!/bin/sh\n", 0100755).hardLink("bin/alias", "bin/tool", 0100600));
    assertTrue(umociTree(image, "link-mode").line("bin/alias").startsWith("bin/alias file 0755 "));
    assertTrue(podmanTree(image, "link-mode").line("bin/tool").startsWith("bin/tool file 0600 "));
  }

  @Test
  void umociAndPodmanUnpackTheBuildahImageAlike() throws Exception {
    FsTree umoci = umociTree(buildah.oci(), "buildah");
    FsTree podman = podmanTree(buildah.oci(), "buildah");
    assertEquals(List.of(), umoci.diff(podman), "umoci (-) and podman (+) disagree");
    assertEquals(List.of("etc/b"), links(umoci, "etc/a"));
    assertTrue(umoci.line("bin/true").contains("security.capability=0x01000002002000000000000000000000"), umoci.line("bin/true"));
    assertTrue(umoci.line("etc/a").contains("xattrs=[user.bin=0xff0080616263]"), umoci.line("etc/a"));
    assertTrue(umoci.line("ro").startsWith("ro dir 0555 0:0 "), umoci.line("ro"));
    assertTrue(umoci.line("up").endsWith(" -> ../../../etc/passwd"), umoci.line("up"));
    assertNull(umoci.line("etc/gone"), "deleted by a whiteout in the second layer");
    assertTrue(umoci.line("etc/added").startsWith("etc/added file 0644 0:0 "), umoci.line("etc/added"));
  }

  @Test
  void umociAndPodmanUnpackAnImageMadeInJavaAlike() throws Exception {
    FsTree umoci = umociTree(images.get("docker pretty"), "pretty");
    FsTree podman = podmanTree(images.get("docker pretty"), "pretty");
    assertEquals(List.of(), umoci.diff(podman), "umoci (-) and podman (+) disagree");
    assertEquals(List.of("bin/hello-again"), links(umoci, "bin/hello"));
    assertNull(umoci.line("etc/motd"), "deleted by a whiteout in the second layer");
    assertTrue(umoci.line("srv/data.txt").contains(" mtime=1700000000 "), umoci.line("srv/data.txt"));
  }

  @Test
  void aSchema1RegistryTakesASchema1PushAndReSignsItOnEveryGet() throws Exception {
    try (RegistryFixture old = RegistryFixture.schema1(dir.resolve("schema1"))) {
      Judges.skopeoCopy("docker://" + images.get("docker compact").reference(),
          "docker://" + old.registry() + "/old:1").orFail();
      // skopeo copy --format v2s1 converts on the way: the registry receives a signed schema 1.
      Tools.run(Judges.command("skopeo"), "--insecure-policy", "copy", "--format", "v2s1", "--src-tls-verify=false",
          "--dest-tls-verify=false", "docker://" + images.get("docker compact").reference(),
          "docker://" + old.registry() + "/old:s1").orFail();
      RegistryFixture.RawManifest first = old.getManifest("old", "s1");
      Thread.sleep(1100); // the signature's protected header has a time in seconds
      RegistryFixture.RawManifest second = old.getManifest("old", "s1");
      assertEquals("application/vnd.docker.distribution.manifest.v1+prettyjws", first.mediaType());
      assertFalse(java.util.Arrays.equals(first.bytes(), second.bytes()), "signed anew on every GET");
      assertEquals(first.digest(), second.digest(), "the digest of the payload, not of the body");
      assertNotEquals(first.digest(), RegistryFixture.sha256(first.bytes()));
      // An old client (no Accept for v2) gets the v2 manifest converted to schema 1.
      RegistryFixture.RawManifest converted = old.getManifest("old", "1", List.of());
      assertEquals("application/vnd.docker.distribution.manifest.v1+prettyjws", converted.mediaType());
      assertTrue(new String(converted.bytes(), StandardCharsets.UTF_8).startsWith("{\n   \"schemaVersion\": 1,"));
    }
  }

  private static List<String> links(FsTree tree, String path) {
    String line = tree.line(path);
    return List.of(line.substring(line.indexOf("links=[") + 7, line.length() - 1).split(", "));
  }

  private static FsTree umociTree(ForeignImage image, String name) throws Exception {
    Path layout = dir.resolve("layout-" + name);
    timed("skopeo copy to oci layout", () -> Judges.skopeoCopy("docker://" + image.reference(), "oci:" + layout + ":img").orFail());
    Path bundle = dir.resolve("bundle-" + name);
    timed("umoci unpack", () -> Judges.umociUnpack(layout, "img", bundle).orFail());
    return timed("FsTree.of", () -> FsTree.of(bundle.resolve("rootfs")));
  }

  private static FsTree podmanTree(ForeignImage image, String name) throws Exception {
    Path storage = dir.resolve("podman-" + name);
    try {
      timed("podman pull", () -> Judges.podmanPull(storage, image.reference()).orFail());
      Path mounted = timed("podman image mount", () -> Judges.podmanMount(storage, image.reference()));
      return FsTree.of(mounted);
    } finally {
      timed("cleanStorage (podman)", () -> {
        Judges.cleanStorage(storage);
        return null;
      });
    }
  }
}
