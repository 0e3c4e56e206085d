package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.registry.it.ForeignImages;
import io.imgtool.registry.it.ForeignImages.ForeignImage;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.Containerd;
import io.imgtool.testing.FsTree;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What imgtool writes is applied by the tools that are not ours, and what it unpacks is what
 * they unpack: podman and buildah (containers/storage on overlayfs), containerd (overlayfs, and
 * a real container), and umoci. Hard links to base files, file capabilities and binary xattrs,
 * symlinks as data and as parents, and a table of layers made by buildah and by hand.
 */
class LayerFidelityIT {
  @TempDir static Path dir;
  static RegistryFixture registry;
  static ForeignImages foreign;
  static ForeignImage busybox;
  static Containerd containerd;
  static Cli cli;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry", "skopeo", "umoci", "podman", "buildah", "getfattr", "setfattr", "setcap",
        "busybox");
    Containerd.requireJudges();
    Judges.requireRoot();
    registry = RegistryFixture.plain(dir.resolve("registry"));
    foreign = new ForeignImages(registry);
    busybox = foreign.busybox("world/busybox");
    containerd = Containerd.start(dir.resolve("containerd"));
    cli = new Cli(Files.createDirectories(dir.resolve("home")));
    cli.run("pull", busybox.reference()).ok();
  }

  @AfterAll
  static void stop() throws Exception {
    if (containerd != null) {
      containerd.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aNewHardLinkToABaseFileIsAppliedByPodmanBuildahAndContainerd() throws Exception {
    Path rootfs = unpack(busybox.reference(), "links");
    Files.createLink(rootfs.resolve("bin/echo"), rootfs.resolve("bin/busybox")); // as busybox --install does
    String image = commitAndPush(rootfs, busybox.reference(), "links");

    assertEquals(0, pulledBy("podman", image).exit());
    assertEquals(0, pulledBy("buildah", image).exit());
    containerd.pull(image).orFail();
    assertEquals("ok\n", containerd.run(image, "/bin/echo", "ok"));
    FsTree podman = podmanTree(image, "links");
    assertTrue(podman.line("bin/echo").endsWith("links=[bin/busybox]"), podman.line("bin/echo"));
    assertEquals(List.of(), FsTree.of(rootfs).diff(podman), "the committed tree (-) and podman's (+)");
  }

  @Test
  void fileCapabilitiesAndBinaryXattrsReachEveryReader() throws Exception {
    Path rootfs = unpack(busybox.reference(), "xattrs");
    Files.copy(rootfs.resolve("bin/busybox"), rootfs.resolve("bin/ping"));
    Tools.run(Judges.command("setcap"), "cap_net_raw=+ep", rootfs.resolve("bin/ping").toString()).orFail();
    Files.writeString(rootfs.resolve("etc/marker"), "marked\n");
    Tools.run(Judges.command("setfattr"), "-n", "user.bin", "-v", "0xff0080616263",
        rootfs.resolve("etc/marker").toString()).orFail();
    FsTree edited = FsTree.of(rootfs);
    assertTrue(edited.line("bin/ping").contains("security.capability="), edited.line("bin/ping"));
    assertTrue(edited.line("etc/marker").contains("user.bin=0xff0080616263"), edited.line("etc/marker"));
    String image = commitAndPush(rootfs, busybox.reference(), "xattrs");

    assertEquals(List.of(), edited.diff(umociTree(image, "xattrs")), "the committed tree (-) and umoci's (+)");
    assertEquals(List.of(), edited.diff(podmanTree(image, "xattrs")), "the committed tree (-) and podman's (+)");
    Path ours = dir.resolve("xattrs-unpacked");
    cli.run("unpack", image, ours.toString()).ok();
    assertEquals(List.of(), edited.diff(FsTree.of(ours)), "the committed tree (-) and imgtool's unpack (+)");
  }

  @Test
  void symlinkTargetsAreDataForImportCommitAndEveryReader() throws Exception {
    Path layer = Tars.create().dir("etc").file("etc/passwd", "root:x:0:0\n")
        .symlink("up", "../../../etc/passwd").symlink("etc/here", "..").symlink("abs", "/etc/passwd")
        .write(dir.resolve("symlinks.tar"));
    cli.run("import", layer.toString(), "symlinks:base").ok();
    String committed = cli.run("commit", "--layer", layer.toString(), busybox.reference(), "symlinks:1").ok().line();
    assertTrue(committed.startsWith("sha256:"), committed);
    String image = registry.registry() + "/fidelity/symlinks:1";
    cli.run("push", "symlinks:1", image).ok();
    assertEquals(0, pulledBy("podman", image).exit());
    String imported = registry.registry() + "/fidelity/symlinks-imported:1";
    cli.run("push", "--format", "docker", "symlinks:base", imported).ok(); // import's image, as Docker v2s2
    assertEquals(0, pulledBy("buildah", imported).exit());
    containerd.pull(imported).orFail();
    FsTree umoci = umociTree(image, "symlinks");
    assertTrue(umoci.line("up").endsWith(" -> ../../../etc/passwd"), umoci.line("up"));
    Path ours = dir.resolve("symlinks-unpacked");
    cli.run("unpack", image, ours.toString()).ok();
    assertEquals(List.of(), umoci.diff(FsTree.of(ours)), "umoci (-) and imgtool (+)");
  }

  /** Layers as the world makes them: each unpacked by imgtool exactly as umoci and podman unpack it. */
  static Stream<String> worldImages() {
    return Stream.of("buildah-oci", "buildah-docker", "hand-made", "docker-pretty");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("worldImages")
  void imgtoolUnpacksWhatTheWorldMakesAsUmociAndPodmanDo(String kind) throws Exception {
    ForeignImage image = worldImage(kind);
    cli.run("pull", image.reference()).ok();
    Path ours = dir.resolve("world-" + kind);
    cli.run("unpack", image.reference(), ours.toString()).ok();
    FsTree unpacked = FsTree.of(ours);
    assertEquals(List.of(), umociTree(image, kind).diff(unpacked), "umoci (-) and imgtool (+)");
    assertEquals(List.of(), podmanTree(image, kind).diff(unpacked), "podman (-) and imgtool (+)");
  }

  /**
   * A layer writing bin/tool where a lower layer made bin -> usr/bin (a merged /usr), as a tar
   * added over a Debian base makes it: imgtool follows the link inside the root as umoci does.
   * The overlayfs appliers disagree: containerd and containers/storage apply each layer into a
   * directory of its own, where the lower layer's link is not, so their bin becomes a directory
   * that hides the link (and everything in usr/bin) in the container. Images imgtool writes never
   * hold such paths: a changeset names every path through real directories.
   */
  @Test
  void aPathThroughALowerLayersSymlinkIsFollowedAsUmociFollowsIt() throws Exception {
    ForeignImage image = foreign.ociOf("world/usr-merge", "1",
        Tars.create().dir("usr").dir("usr/bin").file("usr/bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")),
            0100755).symlink("bin", "usr/bin"),
        Tars.create().file("bin/tool", "written through bin -> usr/bin\n", 0100755));
    cli.run("pull", image.reference()).ok();
    Path ours = dir.resolve("usr-merge");
    cli.run("unpack", image.reference(), ours.toString()).ok();
    FsTree unpacked = FsTree.of(ours);
    assertTrue(unpacked.line("bin").endsWith(" -> usr/bin"), unpacked.line("bin"));
    assertTrue(unpacked.line("usr/bin/tool").startsWith("usr/bin/tool file 0755 "), unpacked.line("usr/bin/tool"));
    assertEquals(List.of(), umociTree(image, "usr-merge").diff(unpacked), "umoci (-) and imgtool (+)");

    containerd.pull(image.reference()).orFail();
    assertEquals("tool\n", containerd.run(image.reference(), "/usr/bin/busybox", "ls", "/bin"), "containerd's own way");
    assertTrue(podmanTree(image, "usr-merge").line("bin").startsWith("bin dir "), "podman's own way");
  }

  @Test
  void everyKindOfChangeImgtoolCommitsIsAppliedByPodmanAndUmoci() throws Exception {
    ForeignImage base = worldImage("hand-made");
    cli.run("pull", base.reference()).ok();
    Path rootfs = unpack(base.reference(), "edits");
    Files.delete(rootfs.resolve("etc/motd"));                                    // a whiteout
    Tools.run("rm", "-rf", rootfs.resolve("opt/cache").toString()).orFail();     // a directory's whiteout
    Tools.run("sh", "-c", "rm -rf " + rootfs.resolve("var/lib") + "/*").orFail(); // an opaque directory
    Files.writeString(rootfs.resolve("var/lib/new"), "new\n");
    Files.delete(rootfs.resolve("srv/dir-to-file"));                             // a type change
    Files.writeString(rootfs.resolve("srv/dir-to-file"), "was a symlink\n");
    Files.createLink(rootfs.resolve("srv/second"), rootfs.resolve("srv/first")); // a new link in a new group
    Tools.run("chmod", "4755", rootfs.resolve("usr/bin/tool").toString()).orFail();
    Tools.run("mkfifo", rootfs.resolve("run/fifo").toString()).orFail();
    Tools.run(Judges.command("setfattr"), "-n", "user.note", "-v", "0x00ff", rootfs.resolve("srv").toString()).orFail();
    String image = commitAndPush(rootfs, base.reference(), "edits");

    FsTree edited = FsTree.of(rootfs);
    assertEquals(List.of(), edited.diff(umociTree(image, "edits")), "the committed tree (-) and umoci's (+)");
    assertEquals(List.of(), edited.diff(podmanTree(image, "edits")), "the committed tree (-) and podman's (+)");
    assertEquals(0, pulledBy("buildah", image).exit());
    containerd.pull(image).orFail();
  }

  // ---- images and judges

  private static ForeignImage worldImage(String kind) throws Exception {
    return switch (kind) {
      case "buildah-oci", "buildah-docker" -> {
        ForeignImages.BuildahImages built = buildah();
        yield kind.equals("buildah-oci") ? built.oci() : built.docker();
      }
      case "hand-made" -> foreign.ociOf("world/hand-made", "1", handMadeBase(), handMadeTop());
      case "docker-pretty" -> foreign.dockerPretty("world/docker-pretty");
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static ForeignImages.BuildahImages buildahImages;

  private static synchronized ForeignImages.BuildahImages buildah() throws Exception {
    if (buildahImages == null) {
      buildahImages = foreign.buildah(dir.resolve("buildah"), "world/buildah");
    }
    return buildahImages;
  }

  /** Owners, modes with setuid and sticky bits, devices, a fifo, links, long and non-ASCII names. */
  private static Tars handMadeBase() {
    String longName = "opt/" + "a".repeat(90) + "/" + "b".repeat(90);
    return Tars.create()
        .dir("etc").file("etc/motd", "hello\n").file("etc/shadow", "secret\n", 0100640, 0, 42)
        .dir("usr").dir("usr/bin").file("usr/bin/tool", "#!/bin/sh\n", 0100755)
        .hardLink("usr/bin/tool-alias", "usr/bin/tool", 0100755)
        .dir("tmp", 01777).dir("srv", 02775).file("srv/first", "first\n", 0100644, 1000, 1000)
        .symlink("srv/dir-to-file", "../etc")
        .dir("dev").node("dev/null", TarConstants.LF_CHR, 1, 3).node("dev/loop9", TarConstants.LF_BLK, 7, 9)
        .dir("run").node("run/initctl", TarConstants.LF_FIFO, 0, 0)
        .dir("opt").dir("opt/cache").file("opt/cache/a", "a").file("opt/cache/b", "b")
        .dir("opt/" + "a".repeat(90)).dir(longName).file(longName + "/ünïcødé 文件", "deep\n")
        .dir("var").dir("var/lib").file("var/lib/one", "1").file("var/lib/two", "2");
  }

  /** Whiteouts, an opaque directory, replacements of each kind. */
  private static Tars handMadeTop() {
    return Tars.create()
        .dir("opt").dir("opt/cache").whiteout("opt/cache/a")
        .dir("var").dir("var/lib").opaque("var/lib").file("var/lib/three", "3")
        .dir("etc").file("etc/motd", "replaced\n").symlink("etc/shadow", "motd")
        .dir("usr").dir("usr/bin").file("usr/bin/tool", "#!/bin/sh\necho new\n", 0100755);
  }

  private static Path unpack(String image, String name) throws Exception {
    Path rootfs = dir.resolve("rootfs-" + name);
    cli.run("unpack", image, rootfs.toString()).ok();
    return rootfs;
  }

  private static String commitAndPush(Path rootfs, String base, String name) throws Exception {
    cli.run("commit", "--rootfs", rootfs.toString(), base, "fidelity/" + name + ":1").ok();
    String image = registry.registry() + "/fidelity/" + name + ":1";
    cli.run("push", "fidelity/" + name + ":1", image).ok();
    return image;
  }

  private static Tools.Result pulledBy(String tool, String image) throws Exception {
    Path storage = dir.resolve(tool + "-" + Integer.toHexString(image.hashCode()));
    try {
      Tools.Result pulled = tool.equals("podman") ? Judges.podmanPull(storage, image) : Judges.buildahPull(storage, image);
      assertEquals(0, pulled.exit(), tool + " pull " + image + ": " + pulled);
      return pulled;
    } finally {
      Judges.cleanStorage(storage);
    }
  }

  private static FsTree umociTree(String image, String name) throws Exception {
    Path layout = dir.resolve("layout-" + name);
    Judges.skopeoCopy("docker://" + image, "oci:" + layout + ":img").orFail();
    Path bundle = dir.resolve("bundle-" + name);
    Judges.umociUnpack(layout, "img", bundle).orFail();
    return FsTree.of(bundle.resolve("rootfs"));
  }

  private static FsTree umociTree(ForeignImage image, String name) throws Exception {
    return umociTree(image.reference(), name);
  }

  private static FsTree podmanTree(String image, String name) throws Exception {
    Path storage = dir.resolve("podman-tree-" + name);
    try {
      Judges.podmanPull(storage, image).orFail();
      return FsTree.of(Judges.podmanMount(storage, image));
    } finally {
      Judges.cleanStorage(storage);
    }
  }

  private static FsTree podmanTree(ForeignImage image, String name) throws Exception {
    return podmanTree(image.reference(), name);
  }
}
