package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher cli/imgtool and its class-data archives, run on a copy of the built jar laid out as
 * in a checkout (cli/imgtool, target/imgtool-0.1.0.jar, no sources, so it never builds). An
 * archive is judged by the JVM itself: {@code -Xshare:on} refuses to start with an archive that is
 * partial, corrupt or made from another jar.
 */
class LauncherIT {
  @TempDir Path checkout;
  private Path launcher;
  private Path jar;
  private Map<String, String> env;

  @BeforeEach
  void layOut() throws Exception {
    launcher = Files.createDirectories(checkout.resolve("cli")).resolve("imgtool");
    Files.copy(Path.of("cli/imgtool"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    jar = Files.createDirectories(checkout.resolve("target")).resolve("imgtool-0.1.0.jar");
    Files.copy(Path.of(System.getProperty("imgtool.jar")), jar);
    Path home = Files.createDirectories(checkout.resolve("home"));
    // The launcher runs `java` from PATH: the one running these tests, which judges the archives.
    env = Map.of("HOME", home.toString(), "IMGTOOL_STORE", home.resolve("store").toString(),
        "PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  @Test
  void twoConcurrentFirstRunsBothSucceedAndLeaveAWholeArchive() throws Exception {
    CompletableFuture<Tools.Result> first = CompletableFuture.supplyAsync(this::images);
    CompletableFuture<Tools.Result> second = CompletableFuture.supplyAsync(this::images);
    for (Tools.Result result : List.of(first.get(), second.get())) {
      assertEquals(0, result.exit(), result.err());
      assertTrue(result.out().startsWith("REPOSITORY"), result.out());
      assertEquals("", result.err());
    }
    assertArchiveUsable(archive("local"));
    try (Stream<Path> files = Files.list(checkout.resolve("target"))) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".imgtool-cds")).toList(),
          "the training's scratch directories are removed");
    }
  }

  @Test
  void aRebuiltJarGetsANewArchive() throws Exception {
    assertEquals(0, images().exit());
    Path archive = archive("local");
    FileTime made = Files.getLastModifiedTime(archive);
    // What `mvn package` does to the archive: a jar of another time (and so another identity).
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
    Tools.Result rerun = images();
    assertEquals(0, rerun.exit(), rerun.err());
    assertTrue(Files.getLastModifiedTime(archive).compareTo(made) > 0, "the archive was made again");
    assertArchiveUsable(archive);
  }

  @Test
  void theVersionRunsThroughTheLauncher() throws Exception {
    Tools.Result version = Tools.run(env, List.of(launcher.toString(), "--version"));
    assertEquals(0, version.exit(), version.err());
    assertTrue(version.out().startsWith("imgtool version "), version.out());
    assertEquals(2, version.out().lines().count(), version.out());
  }

  private Tools.Result images() {
    try {
      return Tools.run(env, List.of(launcher.toString(), "images"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Path archive(String family) {
    Path archive = checkout.resolve("target/imgtool-" + family + ".jsa");
    assertTrue(Files.isRegularFile(archive), "no " + archive);
    return archive;
  }

  private void assertArchiveUsable(Path archive) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Tools.Result run = Tools.run(env, List.of(java, "-XX:+UseSerialGC", "-Xshare:on",
        "-XX:SharedArchiveFile=" + archive, "-cp", jar.toString(), "io.imgtool.cli.Main", "images"));
    assertEquals(0, run.exit(), "the JVM refuses the archive: " + run.out() + run.err());
  }
}
