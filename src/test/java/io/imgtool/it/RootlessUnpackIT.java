package io.imgtool.it;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * unpack and diff as a user who cannot change owners or make device nodes: unpack still writes
 * the tree and says what it could not keep instead of failing, and diff does not take the owners
 * it could not set for changes (umoci's rootless mode does the same).
 */
class RootlessUnpackIT {
  private static final String NOBODY = "65534";

  @TempDir Path home;

  @Test
  void unpackWorksWithoutRootAndSaysWhatItCouldNotKeep() throws Exception {
    Judges.requireRoot(); // to switch to nobody
    Judges.require("setpriv");
    String jar = System.getProperty("imgtool.jar");
    Judges.requireThat(jar != null && Files.exists(Path.of(jar)), "the shaded jar is built by mvn package");

    Cli cli = new Cli(home);
    byte[] layer = Tars.create().dir("etc").file("etc/owned", "by 1000", 0100644)
        .dir("usr").dir("usr/bin").file("usr/bin/tool", "#!tool", 0104755)
        .symlink("etc/link", "owned")
        .dir("ro", 0555).file("ro/file", "in a read-only directory") // filled, then made read-only
        .dir("dev").node("dev/null", TarConstants.LF_CHR, 1, 3) // only root makes device nodes
        .bytes();
    Path tar = home.resolve("base.tar");
    Files.write(tar, layer);
    cli.run("import", tar.toString(), "rootless:1").ok();
    Tools.run("chmod", "-R", "a+rX", home.toString()).orFail();
    Path out = Files.createDirectory(home.resolve("out"));
    Tools.run("chown", NOBODY, out.toString()).orFail();

    Tools.Result result = asNobody(jar, cli, out, "unpack", "rootless:1", out.resolve("rootfs").toString());

    assertEquals(0, result.exit(), result.err());
    Path root = out.resolve("rootfs");
    assertEquals("by 1000", Files.readString(root.resolve("etc/owned"), StandardCharsets.UTF_8));
    assertEquals(04755, (int) Files.getAttribute(root.resolve("usr/bin/tool"), "unix:mode") & 07777);
    assertEquals("owned", Files.readSymbolicLink(root.resolve("etc/link")).toString());
    assertEquals("in a read-only directory", Files.readString(root.resolve("ro/file"), StandardCharsets.UTF_8));
    assertEquals(0555, (int) Files.getAttribute(root.resolve("ro"), "unix:mode") & 07777);
    assertTrue(result.err().contains("could not set the owner"), result.err());
    assertTrue(result.err().contains("dev/null: char node"), result.err());
    assertFalse(result.err().contains("Exception"), result.err());

    // Owners the user could not set, and a device node it could not make, are not changes.
    Tools.Result unchanged = asNobody(jar, cli, out, "diff", "rootless:1", root.toString());
    assertEquals(0, unchanged.exit(), unchanged.err());
    assertEquals("", unchanged.out());
    Tools.run("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
        "sh", "-c", "echo changed > " + root.resolve("etc/owned") + " && mkdir " + root.resolve("srv")).orFail();
    Tools.Result changed = asNobody(jar, cli, out, "diff", "rootless:1", root.toString());
    assertEquals(List.of("C /etc", "C /etc/owned", "A /srv"), changed.out().lines().toList(), changed.err());
  }

  private static Tools.Result asNobody(String jar, Cli cli, Path home, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
        "--clear-groups", "env", "HOME=" + home, "java", "-XX:+UseSerialGC", "-jar", jar,
        "--store", cli.store().toString()));
    command.addAll(List.of(args));
    return Tools.run(command.toArray(String[]::new));
  }
}
