package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import io.imgtool.testing.TmuxPane;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local habits from Docker: prune removes dangling images (-a every unnamed one) and counts what a
 * killed command left; one commit is one history row; a name moved to a new image says the old
 * one is untagged now; the small words (1 layer, changes in DIR).
 */
class LocalHabitsIT {
  @TempDir Path home;
  Cli cli;
  Path base;
  Path layer;

  @BeforeEach
  void setUp() throws Exception {
    cli = new Cli(home);
    base = Tars.create().dir("etc").file("etc/os-release", "NAME=test\n").write(home.resolve("rootfs.tar"));
    layer = Tars.create().dir("usr").file("usr/vim", "vim").write(home.resolve("vim.tar"));
    cli.run("import", base.toString(), "base:1").ok();
  }

  private List<String> imagesTable() {
    return cli.run("images", "--format", "{{.Repository}}:{{.Tag}}").ok().out().lines().toList();
  }

  @Test
  void pruneRemovesDanglingImagesAndAllOfTheUnnamedWithA() throws Exception {
    String first = cli.run("commit", "--layer", layer.toString(), "-m", "one", "base:1", "app:1").ok().line();
    Cli.Result again = cli.run("commit", "--layer", layer.toString(), "-m", "two", "base:1", "app:1").ok();
    assertTrue(again.err().contains("app:1 was the name of image " + first.substring(7, 19)
        + ", which is untagged now"), "a name that moves says what it left behind: " + again.err());
    assertTrue(imagesTable().contains("<none>:<none>"), imagesTable().toString());

    Cli.Result pruned = cli.run("prune").ok();
    assertTrue(pruned.out().startsWith("Deleted Images:\ndeleted: " + first + "\n"), pruned.out());
    assertFalse(pruned.out().contains("Total reclaimed space: 0B"), pruned.out());
    assertEquals(List.of("app:1", "base:1"), imagesTable().stream().sorted().toList());

    // An untagged image a registry holds ("repo <none>") is not dangling: -a removes it.
    Judges.require("docker-registry");
    try (RegistryFixture registry = RegistryFixture.plain(home.resolve("registry"))) {
      String id = cli.run("inspect", "-f", "{{.Id}}", "app:1").ok().line();
      cli.run("-q", "push", "app:1", registry.registry() + "/app:1").ok();
      cli.run("commit", "--layer", base.toString(), "base:1", "app:1").ok(); // app:1's old image: repo <none>
      assertTrue(imagesTable().contains(registry.registry() + "/app:<none>"), imagesTable().toString());
      assertFalse(cli.run("prune").ok().out().contains(id), "not dangling: a registry holds it");
      assertTrue(cli.run("prune", "--all", "--force").ok().out().contains("deleted: " + id));
      assertFalse(imagesTable().stream().anyMatch(name -> name.endsWith(":<none>")), imagesTable().toString());
    }
  }

  @Test
  void pruneAsksFirstOnATerminalAsDockerDoes() throws Exception {
    cli.run("commit", "--layer", layer.toString(), "base:1", "app:1").ok();
    cli.run("commit", "--layer", base.toString(), "base:1", "app:1").ok(); // the first app:1 is dangling now
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = "env HOME='" + home + "' IMGTOOL_STORE='" + cli.store() + "' '" + java + "' -jar '"
        + System.getProperty("imgtool.jar") + "' prune";
    Path work = Files.createDirectory(home.resolve("tmux"));
    try (TmuxPane pane = TmuxPane.run(work, 100, 20, command)) {
      pane.await(screen -> String.join("\n", screen).contains("Are you sure you want to continue? [y/N]"), "the question");
      pane.type("y");
      assertEquals(0, pane.awaitExit());
      String screen = String.join("\n", pane.screen());
      assertTrue(screen.contains("WARNING! This will remove all dangling images."), screen);
      assertTrue(screen.contains("Deleted Images:") && screen.contains("Total reclaimed space: "), screen);
    }
    assertFalse(imagesTable().contains("<none>:<none>"), imagesTable().toString());
  }

  @Test
  void pruneCountsWhatAKilledImportLeftBehind() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", System.getProperty("imgtool.jar"), "import",
        "--compression", "none", "-", "killed:1")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("IMGTOOL_STORE", cli.store().toString());
    builder.environment().put("HOME", home.toString());
    Process process = builder.start();
    byte[] noise = new byte[1 << 20];
    new Random(7).nextBytes(noise);
    try (OutputStream stdin = process.getOutputStream()) {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      while (staged() == 0 && Instant.now().isBefore(deadline)) {
        stdin.write(Tars.create().file("noise", noise).bytes());
        stdin.flush();
      }
      long partial = staged();
      assertTrue(partial > 0, "the import wrote part of its layer");
      process.destroyForcibly(); // as kill -9: no chance to clean up
      process.waitFor();
    } catch (java.io.IOException pipeClosed) {
      // the process is gone
    }
    assertTrue(staged() > 0);
    Cli.Result pruned = cli.run("prune").ok();
    assertFalse(pruned.out().contains("Total reclaimed space: 0B"), "the leftover counts: " + pruned.out());
    assertEquals(0, staged());
  }

  /** Bytes in staging directories (what a command writes before it commits). */
  private long staged() throws Exception {
    if (!Files.isDirectory(cli.store())) {
      return 0;
    }
    long total = 0;
    try (Stream<Path> entries = Files.list(cli.store())) {
      for (Path entry : entries.filter(p -> p.getFileName().toString().contains("staging")).toList()) {
        try (Stream<Path> files = Files.walk(entry)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) {
            total += Files.exists(file) ? Files.size(file) : 0;
          }
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException gone) {
          // finished meanwhile
        }
      }
    }
    return total;
  }

  @Test
  void oneCommitIsOneHistoryRow() {
    cli.run("commit", "-c", "CMD [\"vim\"]", "-c", "LABEL a=b", "-c", "EXPOSE 80", "-m", "add vim", "-a", "me",
        "--layer", layer.toString(), "base:1", "vim:1").ok();
    List<String> rows = cli.run("history", "--format", "{{.CreatedBy}}|{{.Comment}}", "--no-trunc", "vim:1").ok()
        .out().lines().toList();
    assertEquals(2, rows.size(), rows.toString());
    assertEquals("imgtool commit --layer vim.tar -c 'CMD [\"vim\"]' -c 'LABEL a=b' -c 'EXPOSE 80'|add vim", rows.get(0));
  }

  @Test
  void theSmallWordsAreRight() throws Exception {
    Path rootfs = home.resolve("rootfs");
    Cli.Result unpacked = cli.run("unpack", "base:1", rootfs.toString()).ok();
    assertTrue(unpacked.err().contains("Unpacked 1 layer, 2 entries into " + rootfs), unpacked.err());
    Files.writeString(rootfs.resolve("etc/motd"), "hi\n");
    Cli.Result committed = cli.run("commit", "--rootfs", rootfs.toString(), "base:1", "edited:1").ok();
    assertTrue(committed.err().contains("changes in " + rootfs + ": "), committed.err());
    assertFalse(committed.err().contains("rootfs rootfs"), committed.err());
  }
}
