package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.cli.Cli;
import io.imgtool.image.Json;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imgtool check} on stores damaged by hand: a flipped byte in a layer, a missing config, an
 * unused blob, a leftover staging directory. It names each, exits 1 on damage only, tells which
 * pull restores a damaged pulled image, keeps lazy images; after {@code --repair} umoci and
 * skopeo read the store and the independent checker finds every blob sound.
 */
class StoreIntegrityIT {
  @TempDir static Path dir;
  static RegistryFixture registry;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry", "umoci", "skopeo");
    registry = RegistryFixture.plain(dir.resolve("registry"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private static Path blob(Cli cli, String digest) {
    return cli.store().resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private static JsonNode manifest(Cli cli, String name) throws Exception {
    return Json.MAPPER.readTree(cli.run("inspect", "-f", "{{json .Manifest}}", name).ok().line());
  }

  @Test
  void findsNamesAndRepairsDamage() throws Exception {
    Cli cli = new Cli(Files.createTempDirectory(dir, "home"));
    Path base = Tars.create().file("etc/base.conf", "base\n").write(dir.resolve("base.tar"));
    Path change = Tars.create().file("etc/app.conf", "port=80\n").write(dir.resolve("app.tar"));
    cli.run("import", base.toString(), "base:1").ok();
    cli.run("commit", "--layer", change.toString(), "base:1", "app:1").ok();
    String remote = registry.registry() + "/team/app:1";
    cli.run("push", "app:1", remote).ok();
    cli.run("rmi", "app:1").ok();
    String pulled = cli.run("pull", remote).ok().line(); // host/team/app@sha256:…, recorded as its repo digest
    Cli seeder = new Cli(Files.createTempDirectory(dir, "seeder"));
    String other = registry.registry() + "/team/other:1";
    seeder.run("import", Tars.create().file("etc/other", "other\n").write(dir.resolve("other.tar")).toString(), other).ok();
    seeder.run("push", other).ok();
    Path own = Tars.create().file("etc/lazy.conf", "lazy\n").write(dir.resolve("lazy.tar"));
    cli.run("commit", "--layer", own.toString(), other, "lazy:1").ok(); // its base layer stays in the registry

    Cli.Result clean = cli.run("check");
    assertEquals(0, clean.exit(), clean.toString());
    assertTrue(clean.out().contains("lazy image lazy:1: 1 base layer is in "
        + other.substring(0, other.lastIndexOf(':')) + ", not in the store (imgtool pull lazy:1 fetches it)"),
        clean.out());
    assertTrue(clean.out().contains("0 damaged"), clean.out());

    JsonNode app = manifest(cli, remote);
    String topLayer = app.at("/layers/1/digest").asText();
    byte[] bytes = Files.readAllBytes(blob(cli, topLayer));
    bytes[bytes.length / 2] ^= 1;
    Files.write(blob(cli, topLayer), bytes);
    cli.run("import", base.toString(), "own:1").ok();
    Files.delete(blob(cli, manifest(cli, "own:1").at("/config/digest").asText()));
    Path orphan = blob(cli, io.imgtool.image.Digest.sha256("nobody's".getBytes(StandardCharsets.UTF_8)).toString());
    Files.writeString(orphan, "nobody's");
    Path staging = Files.createDirectories(cli.store().resolve(".imgtool-staging-left-by-kill"));
    Files.writeString(staging.resolve("owner.lock"), "");
    Files.write(staging.resolve("0123.partial"), new byte[1000]);

    Cli.Result damaged = cli.run("check");
    assertEquals(1, damaged.exit(), damaged.toString());
    String out = damaged.out();
    assertTrue(out.contains("corrupt blob " + topLayer), out);
    assertTrue(out.contains("damaged image " + remote + ": layer " + topLayer + " is corrupt; imgtool pull "
        + pulled + " would restore it"), out);
    assertTrue(out.contains("damaged image own:1: config sha256:"), out);
    assertTrue(out.contains(" is missing; no registry is known to hold it"), out);
    assertTrue(out.contains("unused blob sha256:" + orphan.getFileName()), out);
    assertTrue(out.contains("leftover .imgtool-staging-left-by-kill"), out);
    assertTrue(out.contains("lazy image lazy:1"), out);
    assertTrue(out.contains("2 damaged"), out);
    assertEquals(out, cli.run("fsck").out(), "fsck is check");

    Cli.Result repaired = cli.run("check", "--repair");
    assertEquals(0, repaired.exit(), repaired.toString());
    assertTrue(repaired.out().contains("repaired: deleted the corrupt blob " + topLayer), repaired.out());
    Cli.Result after = cli.run("check");
    assertEquals(0, after.exit(), after.toString());
    assertFalse(after.out().contains("unused") || after.out().contains("leftover") || after.out().contains("damaged image"),
        after.out());
    assertTrue(after.out().contains("lazy image lazy:1"), "a lazy image is not damage: " + after.out());
    StoreCheck.acceptedByOciTools(cli.store());
    assertEquals(java.util.Set.of(), StoreCheck.unreferencedBlobs(cli.store()));

    cli.run("pull", pulled).ok(); // what check said restores it
    assertEquals(0, cli.run("check").exit());
    StoreCheck.acceptedByOciTools(cli.store());
  }
}
