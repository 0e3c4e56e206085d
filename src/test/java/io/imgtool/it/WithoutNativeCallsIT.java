package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where JNA cannot load (a temporary directory mounted noexec, say), unpack and diff still work
 * with what java.nio can do, and say what they could not keep and how to get it back.
 */
class WithoutNativeCallsIT {
  @TempDir Path home;

  @Test
  void unpackAndDiffWorkWithoutJnaAndSayWhatTheyCouldNotKeep() throws Exception {
    String jar = System.getProperty("imgtool.jar");
    Judges.requireThat(jar != null && Files.exists(Path.of(jar)), "the shaded jar is built by mvn package");
    Cli cli = new Cli(home);
    Path layer = Tars.create().dir("etc").file("etc/motd", "hello\n").symlink("etc/link", "motd")
        .node("etc/fifo", TarConstants.LF_FIFO, 0, 0).write(home.resolve("base.tar"));
    cli.run("import", layer.toString(), "nojna:1").ok();
    Path rootfs = home.resolve("rootfs");

    Tools.Result unpack = withoutJna(jar, cli, "unpack", "nojna:1", rootfs.toString());
    assertEquals(0, unpack.exit(), unpack.toString());
    assertEquals("hello\n", Files.readString(rootfs.resolve("etc/motd")));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("etc/link")));
    assertTrue(unpack.err().contains("native file calls are unavailable"), unpack.err());
    assertTrue(unpack.err().contains("jna.tmpdir"), "says the way out: " + unpack.err());
    assertFalse(unpack.err().contains("Exception"), unpack.err());

    Files.writeString(rootfs.resolve("etc/motd"), "changed\n");
    Tools.Result diff = withoutJna(jar, cli, "diff", "nojna:1", rootfs.toString());
    assertEquals(0, diff.exit(), diff.toString());
    assertEquals(List.of("C /etc", "C /etc/motd"), diff.out().lines().toList(), diff.toString());
  }

  /** JNA may neither unpack its native stub nor find one on the system: its loading fails. */
  private static Tools.Result withoutJna(String jar, Cli cli, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-Djna.nounpack=true", "-Djna.nosys=true",
        "-jar", jar, "--store", cli.store().toString()));
    command.addAll(List.of(args));
    return Tools.run(command.toArray(String[]::new));
  }
}
