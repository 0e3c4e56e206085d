package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.ChildCli;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments of import, commit, pull and push, each a real imgtool process on one
 * store (the first on a store that does not exist yet), pull and push against a real registry.
 * After every kill the independent checker reads the store: every index entry's manifest, config
 * and layers present and hashing to their names, every layer's diffID right, umoci reading the
 * layout and skopeo every name; and a tag the registry lists is complete (skopeo copies it).
 *
 * <p>A short loop in the suite; {@code -Dimgtool.killLoop.kills=200} runs a longer one, and
 * {@code -Dimgtool.killLoop.seed=N} repeats a run's moments.
 */
class KillLoopIT {
  private static final int KILLS = Integer.getInteger("imgtool.killLoop.kills", 10);
  private static final long SEED = Long.getLong("imgtool.killLoop.seed", System.nanoTime());

  @TempDir static Path dir;
  static RegistryFixture registry;
  static Path rootfs;
  static Path layer;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry", "umoci", "skopeo");
    registry = RegistryFixture.plain(dir.resolve("registry"));
    rootfs = Tars.create().dir("etc").file("etc/os-release", "ID=kill\n")
        .file("usr/lib/blob.bin", Tars.mixedContent(6 << 20, 1)).write(dir.resolve("rootfs.tar"));
    layer = Tars.create().file("opt/app/data.bin", Tars.mixedContent(3 << 20, 2)).write(dir.resolve("layer.tar"));
    Cli seeder = new Cli(dir.resolve("seeder"));
    seeder.run("import", rootfs.toString(), registry.registry() + "/seed/base:1").ok();
    seeder.run("push", registry.registry() + "/seed/base:1").ok();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void killedCommandsLeaveAConsistentStore() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Cli cli = new Cli(home);
    Map<String, String> env = Map.of("HOME", home.toString(), "IMGTOOL_STORE", cli.store().toString());
    Random random = new Random(SEED);
    String pushed = registry.registry() + "/killed/app";
    int killed = 0;
    for (int i = 0; i < KILLS; i++) {
      String operation = List.of("import", "commit", "pull", "push").get(i % 4);
      String[] args = switch (operation) {
        case "import" -> new String[] {"import", rootfs.toString(), "imported:" + i};
        case "commit" -> new String[] {"commit", "--layer", layer.toString(), registry.registry() + "/seed/base:1",
            "committed:" + i};
        case "pull" -> new String[] {"pull", registry.registry() + "/seed/base:1"};
        default -> new String[] {"push", "--jobs", "2", firstImage(cli), pushed + ":" + i};
      };
      if (operation.equals("pull")) {
        freeBaseLayers(cli); // so that the pull moves bytes again
      }
      if (operation.equals("push") && args[3] == null) {
        continue;
      }
      long after = 200 + random.nextInt(2500);
      Process process = ChildCli.builder(env, home.resolve("run" + i + ".log"), args).start();
      boolean finished = process.waitFor(after, TimeUnit.MILLISECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no finally
        killed++;
      }
      String moment = "seed " + SEED + ", run " + i + " (" + operation + ", killed after " + after + " ms: " + !finished
          + ")";
      checkStore(cli.store(), moment);
      if (operation.equals("push")) {
        checkRegistryTag(pushed + ":" + i, moment);
      }
    }
    System.out.println("kill loop: " + killed + " of " + KILLS + " runs killed, seed " + SEED);
    assertTrue(killed > 0, "no run was killed (seed " + SEED + "): every command finished first");
    Cli.Result check = cli.run("check");
    assertEquals(0, check.exit(), "imgtool check after the loop: " + check);
  }

  /**
   * The first command of a store killed at random moments: what it leaves is no store, a directory
   * that is not yet a layout, or a layout umoci and skopeo read, never a layout without index.json.
   * The import reads its tar from a pipe fed part of the way, so most kills land while it builds
   * the layer, when the store exists and holds no image yet.
   */
  @Test
  void killedFirstCommandsLeaveNoHalfMadeLayout() throws Exception {
    Random random = new Random(SEED + 1);
    byte[] tar = Files.readAllBytes(rootfs);
    for (int i = 0; i < Math.max(4, KILLS / 3); i++) {
      Path home = Files.createDirectories(dir.resolve("first" + i));
      Path store = home.resolve("store");
      int fed = random.nextInt(tar.length);
      long after = random.nextInt(300);
      Process process = ChildCli.builder(Map.of("HOME", home.toString(), "IMGTOOL_STORE", store.toString()),
          home.resolve("run.log"), "import", "-", "first:1").start();
      try (var stdin = process.getOutputStream()) {
        stdin.write(tar, 0, fed);
        stdin.flush();
        for (int wait = 0; wait < 200 && !Files.exists(store) && process.isAlive(); wait++) {
          Thread.sleep(50); // the JVM's start takes long and varies: time the kill from the store's creation
        }
        process.waitFor(after, TimeUnit.MILLISECONDS);
        process.destroyForcibly().waitFor(); // before the rest of the tar: the import never ends by itself
      } catch (java.io.IOException closed) {
        process.destroyForcibly().waitFor(); // it died of the part it read (a tar cut short is refused)
      }
      String moment = "seed " + SEED + ", first command " + i + " fed " + fed + " bytes, killed " + after
          + " ms after the store appeared";
      checkStore(store, moment);
      new Cli(home).run("import", rootfs.toString(), "second:1").ok(); // the next command takes it over
      checkStore(store, moment + ", then the next command");
    }
  }

  /** A store that exists is a complete OCI layout with sound images; one never created is fine. */
  private static void checkStore(Path store, String moment) throws Exception {
    if (!Files.exists(store.resolve("oci-layout"))) {
      return;
    }
    assertTrue(Files.exists(store.resolve("index.json")), moment + ": a layout without index.json");
    try {
      StoreCheck.verifyAllBlobs(store);
      StoreCheck.acceptedByOciTools(store);
    } catch (AssertionError e) {
      throw new AssertionError(moment + ": " + e.getMessage(), e);
    }
  }

  /** Manifest last: a tag the registry has names a manifest whose blobs are all there. */
  private static void checkRegistryTag(String reference, String moment) throws Exception {
    Tools.Result raw = Tools.run(Judges.command("skopeo"), "inspect", "--raw", "--tls-verify=false",
        "docker://" + reference);
    if (raw.exit() != 0) {
      return; // killed before the manifest: no tag
    }
    Path copy = Files.createTempDirectory(dir, "copy");
    Tools.Result copied = Tools.run(Judges.command("skopeo"), "copy", "--src-tls-verify=false",
        "docker://" + reference, "dir:" + copy);
    assertEquals(0, copied.exit(), moment + ": the registry's " + reference + " is incomplete: " + copied);
  }

  /** An image of the store to push, or null while there is none. */
  private static String firstImage(Cli cli) {
    String ids = cli.run("images", "-q").out().strip();
    return ids.isEmpty() ? null : ids.lines().findFirst().orElseThrow();
  }

  /** Removes the pulled base and what only it used, so that the next pull fetches its layers. */
  private static void freeBaseLayers(Cli cli) {
    cli.run("rmi", registry.registry() + "/seed/base:1");
    cli.run("prune", "-a", "-f");
  }
}
