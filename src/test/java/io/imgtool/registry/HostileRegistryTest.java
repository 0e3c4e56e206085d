package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.registry.it.HostileRegistry;
import io.imgtool.testing.TreeHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No answer from a registry makes imgtool hang without output or read without bound: against
 * {@link HostileRegistry}, each command ends (the JUnit timeout is a hang guard, far above the
 * 1 s idle timeout and 2 s read deadline these settings give) with exit 1, one clear line naming
 * the registry and what it was reading, no stack trace, and the store as it was.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileRegistryTest {
  private static final long MIB = 1 << 20;
  private static HostileRegistry registry;

  @TempDir Path home;
  private Cli cli;
  private String storeBefore;

  @BeforeAll
  static void start() throws IOException {
    registry = new HostileRegistry();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @BeforeEach
  void storeWithOneImage() throws IOException {
    Path config = home.resolve("config.json");
    Files.writeString(config, "{\"registry-idle-timeout\": 1, \"registry-read-timeout\": 2}");
    cli = new Cli(home).env("IMGTOOL_CONFIG", config.toString());
    cli.run("pull", name(HostileRegistry.GOOD)).ok();
    storeBefore = TreeHash.of(cli.store());
  }

  private static String name(String repository) {
    return registry.registry() + "/" + repository + ":1";
  }

  /** Runs a command that must fail cleanly, and gives its stderr. */
  private String fails(String... args) throws IOException {
    Cli.Result result = cli.run(args);
    assertEquals(1, result.exit(), result.toString());
    assertFalse(result.err().contains("\tat ") || result.err().contains("Exception"), result.err());
    assertTrue(result.err().contains(registry.registry()), "names the registry: " + result.err());
    assertEquals(storeBefore, TreeHash.of(cli.store()), "the store is as it was");
    return result.err();
  }

  private static void assertContains(String expected, String text) {
    assertTrue(text.contains(expected), "expected \"" + expected + "\" in:\n" + text);
  }

  @Test
  void aLayerThatStallsMidBodyTimesOutAndSaysItRetried() throws IOException {
    String err = fails("pull", name("stall-blob"));
    assertContains("pulling blob " + registry.image("stall-blob").layers().get(0).digest().shortHex(), err);
    assertContains("sent nothing for 1 s", err);
    assertContains("retrying", err);
  }

  @Test
  void aLayerWhoseHeadersNeverComeTimesOut() throws IOException {
    String err = fails("pull", name("stall-blob-headers"));
    assertContains("pulling blob " + registry.image("stall-blob-headers").layers().get(0).digest().shortHex(), err);
    assertContains("sent nothing for 1 s", err);
  }

  @Test
  void aManifestWhoseHeadersNeverComeTimesOut() throws IOException {
    String err = fails("pull", name("stall-headers"));
    assertContains("fetching manifest of " + name("stall-headers") + " failed: timed out", err);
    assertContains("sent nothing for 1 s", err);
    assertContains("retrying", err);
  }

  @Test
  void aManifestThatStallsMidBodyTimesOut() throws IOException {
    String err = fails("manifest", "inspect", name("stall-manifest"));
    assertContains("stall-manifest:1", err);
    assertContains("sent nothing for 1 s", err);
  }

  @Test
  void aTricklingManifestMeetsTheReadDeadline() throws IOException {
    String err = fails("pull", name("trickle-manifest"));
    assertContains("trickle-manifest:1", err);
    assertContains("took longer than 2 s", err);
  }

  @Test
  void aTricklingConfigMeetsTheReadDeadline() throws IOException {
    String err = fails("pull", name("trickle-config"));
    assertContains("blob " + registry.image("trickle-config").config().digest(), err);
    assertContains("took longer than 2 s", err);
  }

  @Test
  void aTricklingErrorAnswerToALayerMeetsTheReadDeadline() throws IOException {
    String err = fails("pull", name("trickle-error"));
    assertContains("blob " + registry.image("trickle-error").layers().get(0).digest(), err);
    assertContains("HTTP 404", err);
  }

  @Test
  void anEndlessManifestIsCutAtTheCap() throws IOException {
    String err = fails("pull", name("endless-manifest"));
    assertContains("manifest too large (more than 4 MiB) from " + name("endless-manifest"), err);
    // what the kernel's socket buffers took beyond the cap, not more
    assertTrue(registry.bytesSent("endless-manifest") < 4 * MIB + 16 * MIB, registry.bytesSent("endless-manifest") + "");
  }

  @Test
  void aHugeManifestIsRefusedByItsLength() throws IOException {
    String err = fails("pull", name("huge-manifest"));
    assertContains("manifest too large (more than 4 MiB) from " + name("huge-manifest"), err);
    assertTrue(registry.bytesSent("huge-manifest") < 20 * MIB, registry.bytesSent("huge-manifest") + "");
  }

  @Test
  void anEndlessConfigIsCutAtItsDeclaredSize() throws IOException {
    String err = fails("pull", name("endless-config"));
    assertContains("blob " + registry.image("endless-config").config().digest(), err);
    // a blob longer than declared is what the registry holds: fetched once, not retried
    assertFalse(err.contains("retrying"), err);
    assertTrue(registry.bytesSent("endless-config") < 16 * MIB, registry.bytesSent("endless-config") + "");
  }

  @Test
  void anEndlessTokenIsCutAtTheCap() throws IOException {
    String err = fails("pull", name("endless-token"));
    assertContains("token response too large (more than 1 MiB)", err);
    assertTrue(registry.bytesSent("endless-token") < 1 * MIB + 16 * MIB, registry.bytesSent("endless-token") + "");
  }

  @Test
  void aTokenServiceThatNeverAnswersTimesOut() throws IOException {
    assertContains("sent nothing for 1 s", fails("pull", name("stall-token")));
  }

  @Test
  void aSelfReferencingTagsLinkStopsAtOnce() throws IOException {
    String err = fails("tags", registry.registry() + "/self-link");
    assertContains("repeats", err);
    assertTrue(registry.requests("self-link") < 10, registry.requests("self-link") + " requests");
  }

  @Test
  void aSelfReferencingCatalogLinkStops() throws IOException {
    assertContains("repeats", fails("catalog", registry.registry()));
  }

  @Test
  void aManifestThatDoesNotMatchItsDigestIsRefused() throws IOException {
    assertContains("does not match its digest", fails("pull", name("wrong-digest")));
  }

  @Test
  void aLayerThatDoesNotMatchItsDigestIsRefused() throws IOException {
    assertContains(registry.image("wrong-blob").layers().get(0).digest().toString(), fails("pull", name("wrong-blob")));
  }

  @Test
  void anUploadWhoseAnswerNeverComesTimesOut() throws IOException {
    cli.run("tag", name(HostileRegistry.GOOD), name("stall-upload")).ok();
    storeBefore = TreeHash.of(cli.store());
    String err = fails("push", "--retries", "1", name("stall-upload"));
    assertContains("sent nothing for 1 s", err);
    assertContains("retrying", err);
  }

  @Test
  void anUploadStoredUnderAnotherDigestIsRefused() throws IOException {
    cli.run("tag", name(HostileRegistry.GOOD), name("wrong-digest-upload")).ok();
    storeBefore = TreeHash.of(cli.store());
    assertContains("under a different digest", fails("push", name("wrong-digest-upload")));
  }

  /**
   * In a JVM of 64 MiB, endless answers end as errors, not as an OutOfMemoryError: what is read
   * stops at the caps.
   */
  @Test
  void endlessAnswersFitInASmallHeap() throws Exception {
    for (String repository : java.util.List.of("endless-manifest", "endless-token")) {
      Path err = home.resolve(repository + ".err");
      ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx64m", "-cp", System.getProperty("java.class.path"), "io.imgtool.cli.Main",
          "--config", home.resolve("config.json").toString(), "--store", cli.store().toString(),
          "manifest", "inspect", name(repository));
      java.environment().keySet().removeIf(key -> key.startsWith("XDG_") || key.equals("DOCKER_CONFIG"));
      java.environment().put("HOME", home.toString());
      Process process = java.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
      assertTrue(process.waitFor(50, TimeUnit.SECONDS), "ended");
      String stderr = Files.readString(err);
      assertEquals(1, process.exitValue(), stderr);
      assertContains(repository.equals("endless-token") ? "token response too large (more than 1 MiB)"
          : "manifest too large (more than 4 MiB)", stderr);
      assertFalse(stderr.contains("OutOfMemoryError"), stderr);
    }
  }

  @Test
  void aTimeoutSettingThatIsNoNumberOfSecondsIsAUsageError() throws IOException {
    Path config = home.resolve("config.json");
    Files.writeString(config, "{\"registry-idle-timeout\": \"30s\"}");
    Cli.Result result = cli.run("pull", name(HostileRegistry.GOOD));
    assertEquals(2, result.exit(), result.toString());
    assertContains("registry-idle-timeout must be a number of seconds", result.err());
  }

  @Test
  void aRedirectLoopStops() throws IOException {
    assertContains("redirects in a loop", fails("pull", name("redirect-loop")));
  }
}
