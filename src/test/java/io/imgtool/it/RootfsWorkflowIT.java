package io.imgtool.it;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.layer.TreeSnapshot;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's walk-through through the command line: import a base, {@code unpack} it, edit the
 * tree as a container session would, {@code diff} it, {@code commit --rootfs}, and check with
 * umoci that base + the new layer reproduces the edited tree exactly.
 */
class RootfsWorkflowIT {
  private static final long BASE_MTIME = 1_700_000_000L;

  @TempDir Path home;
  Cli cli;
  Path rootfs;

  @BeforeEach
  void setUp() throws Exception {
    cli = new Cli(home);
    Path tar = Tars.create()
        .dir("bin").file("bin/sh", "#!shell", 0100755).symlink("bin/bash", "sh")
        .dir("etc").file("etc/hostname", "aaaa\n").file("etc/motd", "hello\n")
        .dir("usr").dir("usr/bin").file("usr/bin/tool", "tool", 0100755)
        .dir("usr/lib").symlink("usr/lib64", "/usr/lib")
        .dir("usr/share").dir("usr/share/doc").file("usr/share/doc/README", "read me\n")
        .hardLink("usr/share/doc/COPYING", "usr/share/doc/README")
        .dir("var").dir("var/cache").dir("var/cache/old").file("var/cache/old/a", "a").file("var/cache/old/b", "b")
        .dir("opt").dir("opt/app").file("opt/app/run", "run", 0100755)
        .write(home.resolve("rootfs.tar"));
    cli.run("import", tar.toString(), "base").ok();
    rootfs = home.resolve("rootfs");
    cli.run("unpack", "base", rootfs.toString()).ok();
  }

  @Test
  void unpackedBaseDiffsAsUnchanged() {
    assertEquals("", cli.run("diff", "base", rootfs.toString()).ok().out());
  }

  @Test
  void commitRootfsRecordsExactlyTheSessionsEditsAndUmociReproducesTheTree() throws Exception {
    editLikeAContainerSession();

    // Ancestors of a change show as changed, as in docker diff; one D for a whole directory.
    assertEquals(List.of(
        "C /etc",
        "C /etc/hostname",
        "D /etc/motd",
        "C /opt",
        "C /opt/app",
        "A /opt/hostetc",
        "C /usr",
        "C /usr/bin",
        "C /usr/bin/tool",
        "A /usr/bin/vim",
        "C /usr/lib",
        "A /usr/lib/libvim.so",
        "C /var",
        "C /var/cache",
        "D /var/cache/old"),
        cli.run("diff", "base", rootfs.toString()).ok().out().lines().toList());

    cli.run("commit", "--rootfs", rootfs.toString(), "-m", "add vim", "base", "myubuntu:1.1").ok();
    StoreCheck.verifyAllBlobs(cli.store());
    Path bundle = umociUnpack("docker.io/library/myubuntu:1.1");
    assertEquals(snapshot(rootfs), snapshot(bundle.resolve("rootfs")));
    assertEquals("", cli.run("diff", "myubuntu:1.1", rootfs.toString()).ok().out(),
        "the committed image's tree is the edited tree");
  }

  @Test
  void sourceDateEpochGivesTheSameImageIdForTheSameTree() throws Exception {
    editLikeAContainerSession();
    cli.env("SOURCE_DATE_EPOCH", "1700000100");
    String first = cli.run("commit", "--rootfs", rootfs.toString(), "-m", "add vim", "base", "repro:1").ok().line();
    String second = cli.run("commit", "--rootfs", rootfs.toString(), "-m", "add vim", "base", "repro:2").ok().line();
    assertTrue(first.matches("sha256:[0-9a-f]{64}"), first);
    assertEquals(first, second);
  }

  @Test
  void unpackRefusesANonEmptyDirectory() throws Exception {
    Path full = Files.createDirectory(home.resolve("full"));
    Files.writeString(full.resolve("keep"), "mine");
    Cli.Result result = cli.run("unpack", "base", full.toString());
    assertEquals(2, result.exit(), result.toString());
    assertTrue(result.err().contains(full.toString()), result.err());
    assertEquals(List.of("keep"), list(full));
  }

  @Test
  void diffOfAMissingDirectoryIsBadUsage() {
    Cli.Result result = cli.run("diff", "base", home.resolve("nowhere").toString());
    assertEquals(2, result.exit(), result.toString());
    assertTrue(result.err().contains("nowhere"), result.err());
    assertEquals("", result.out());
  }

  @Test
  void absoluteSymlinksAreRecordedNotFollowed() throws Exception {
    // Debian's /etc/alternatives are absolute links: they mean the tree's own files, never the host's.
    Files.createSymbolicLink(rootfs.resolve("etc/vi"), Path.of("/usr/lib64/vim"));
    Files.writeString(rootfs.resolve("usr/lib/vim"), "vim through an absolute link");
    Files.createSymbolicLink(rootfs.resolve("etc/hostetc"), Path.of("/etc"));

    List<String> diff = cli.run("diff", "base", rootfs.toString()).ok().out().lines().toList();
    assertEquals(List.of("C /etc", "A /etc/hostetc", "A /etc/vi", "C /usr", "C /usr/lib", "A /usr/lib/vim"), diff);

    cli.run("commit", "--rootfs", rootfs.toString(), "base", "links:1").ok();
    Path bundle = umociUnpack("docker.io/library/links:1");
    assertEquals(snapshot(rootfs), snapshot(bundle.resolve("rootfs")));
    assertEquals("/etc", Files.readSymbolicLink(bundle.resolve("rootfs/etc/hostetc")).toString());
  }

  @Test
  void unpackFollowsAnAbsoluteSymlinkInsideTheRootAsUmociDoes() throws Exception {
    Path outside = Files.createDirectory(home.resolve("outside"));
    Path layer = Tars.create().symlink("escape", outside.toString()).file("escape/kept", "x")
        .write(home.resolve("through.tar"));
    cli.run("commit", "--layer", layer.toString(), "base", "through:1").ok();
    Path target = home.resolve("through-rootfs");
    cli.run("unpack", "through:1", target.toString()).ok();
    assertEquals(List.of(), list(outside), "nothing is written outside the target");
    assertEquals("x", Files.readString(target.resolve(outside.toString().substring(1)).resolve("kept")));
    // The directories the symlink implies have no entry of their own: their mtime is the tools' choice.
    Map<String, String> ours = withoutMtimes(snapshot(target), "tmp");
    Map<String, String> umoci = withoutMtimes(snapshot(umociUnpack("docker.io/library/through:1").resolve("rootfs")), "tmp");
    assertEquals(umoci, ours);
  }

  private static Map<String, String> withoutMtimes(Map<String, String> snapshot, String under) {
    Map<String, String> result = new java.util.TreeMap<>(snapshot);
    result.replaceAll((path, line) -> (path.equals(under) || path.startsWith(under + "/")) && line.startsWith("dir")
        ? line.replaceAll(" mtime=\\d+", "") : line);
    return result;
  }

  /** A session's edits: add, change keeping size and mtime, chmod, delete file and directory, dir → symlink. */
  private void editLikeAContainerSession() throws IOException {
    Files.writeString(rootfs.resolve("usr/bin/vim"), "vim binary");
    Files.setPosixFilePermissions(rootfs.resolve("usr/bin/vim"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(rootfs.resolve("usr/lib/libvim.so"), "through usr/lib64 -> /usr/lib");

    Path hostname = rootfs.resolve("etc/hostname");
    FileTime mtime = Files.getLastModifiedTime(hostname);
    Files.writeString(hostname, "bbbb\n");
    Files.setLastModifiedTime(hostname, mtime);
    assertEquals(FileTime.from(java.time.Instant.ofEpochSecond(BASE_MTIME)), mtime);

    Files.setPosixFilePermissions(rootfs.resolve("usr/bin/tool"), PosixFilePermissions.fromString("rwx------"));
    Files.delete(rootfs.resolve("etc/motd"));
    deleteTree(rootfs.resolve("var/cache/old"));
    deleteTree(rootfs.resolve("opt/app"));
    Files.createSymbolicLink(rootfs.resolve("opt/app"), Path.of("../srv/app"));
    Files.createSymbolicLink(rootfs.resolve("opt/hostetc"), Path.of("/etc"));
  }

  private Path umociUnpack(String name) throws Exception {
    Judges.require("umoci");
    Path bundle = home.resolve("bundle-" + name.replaceAll("[^a-z0-9]", "_"));
    List<String> command = new java.util.ArrayList<>(List.of("umoci", "unpack"));
    if (!isRoot()) {
      command.add("--rootless");
    }
    command.addAll(List.of("--image", cli.store() + ":" + name, bundle.toString()));
    Tools.run(command.toArray(String[]::new)).orFail();
    return bundle;
  }

  /** The tree as {@link TreeSnapshot} sees it; owners only when both sides could set them. */
  private static Map<String, String> snapshot(Path root) {
    Map<String, String> lines = new TreeMap<>(TreeSnapshot.of(root));
    if (!isRoot()) {
      lines.replaceAll((path, line) -> line.replaceAll(" owner=\\d+:\\d+", ""));
    }
    return lines;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS));
  }
}
