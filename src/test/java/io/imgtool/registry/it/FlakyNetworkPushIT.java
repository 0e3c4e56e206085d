package io.imgtool.registry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.cli.Cli;
import io.imgtool.image.Json;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.CredentialProvider;
import io.imgtool.registry.Pusher;
import io.imgtool.registry.Registries;
import io.imgtool.registry.RegistryException;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.registry.TransportPolicy;
import io.imgtool.registry.UploadSessions;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes through a {@link FaultProxy} in front of the real registry: a third of the writes fail
 * (503, 429, or the connection dropped after the registry acted), and pushes with the default
 * retry budget get through, digest for digest as skopeo reads them back; a push killed near the end
 * of a large layer is continued by the next run from the registry's offset.
 */
class FlakyNetworkPushIT {
  /** The chunk size, lowered from 64 MiB so that a test layer of a few MiB goes up in chunks. */
  private static final int CHUNK = 512 << 10;
  private static final int JOBS = 4; // the settings' default max-concurrent-uploads

  @TempDir static Path dir;
  static RegistryFixture registry;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry", "skopeo");
    registry = RegistryFixture.plain(dir.resolve("registry"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  /** The default number of attempts; only the waits are short, so that ten pushes take seconds. */
  private static RetryPolicy defaultAttemptsQuickly() {
    return new RetryPolicy(RetryPolicy.defaults().attempts(), Duration.ofMillis(20), Duration.ofMillis(200));
  }

  private static Registries registries(UploadSessions sessions) {
    return new Registries(TransportPolicy.defaults(), CredentialProvider.NONE).uploadChunkSize(CHUNK)
        .rememberingUploadSessions(sessions);
  }

  private static Digest push(String via, Image image, String name, UploadSessions sessions) throws Exception {
    try (Registries registries = registries(sessions)) {
      return new Pusher(registries, JOBS, defaultAttemptsQuickly(), new RecordingListener())
          .push(image, ImageReference.parse(via + "/" + name), Map.of());
    }
  }

  @Test
  void pushesGetThroughAProxyThatFailsAThirdOfTheWrites() throws Exception {
    List<String> failed = new ArrayList<>();
    int[] injected = new int[FaultProxy.Fault.values().length];
    int runs = Integer.getInteger("imgtool.flakyPushes", 10); // more on demand: -Dimgtool.flakyPushes=100
    for (int seed = 1; seed <= runs; seed++) {
      // five blobs: four layers, one of them above the chunk size, and the config
      Image image = TestImages.build(Format.OCI, "amd64", 100 + seed, 3 << 10, 20 << 10, 70 << 10, 5 * CHUNK / 2);
      String name = "flaky/app:" + seed;
      FaultProxy proxy = new FaultProxy(registry.port(), seed, 0.3);
      try {
        Digest digest = push(proxy.registry(), image, name, UploadSessions.NONE);
        assertEquals(image.manifest().digest(), digest);
        verify(image, name);
      } catch (RegistryException e) {
        failed.add("seed " + seed + ": " + e.getMessage());
      } finally {
        proxy.close();
        for (FaultProxy.Fault fault : FaultProxy.Fault.values()) {
          injected[fault.ordinal()] += proxy.faults(fault);
        }
      }
    }
    assertEquals(List.of(), failed, failed.size() + " of " + runs + " pushes failed");
    for (FaultProxy.Fault fault : FaultProxy.Fault.values()) {
      assertTrue(injected[fault.ordinal()] > 0, "the proxy injected " + fault);
    }
  }

  /** The command itself, with no flag and no settings: real waits, default attempts and jobs. */
  @Test
  void theCommandWithItsDefaultsGetsThroughTheSameProxy(@TempDir Path home) throws Exception {
    Cli cli = new Cli(home).env("XDG_CACHE_HOME", home.resolve("cache").toString());
    Random random = new Random(11);
    List<String> layers = new ArrayList<>();
    for (int size : new int[] {3 << 10, 20 << 10, 70 << 10, 300 << 10}) {
      byte[] content = new byte[size];
      random.nextBytes(content);
      layers.add(Tars.create().file("f" + size, content).write(home.resolve(size + ".tar")).toString());
    }
    cli.run("import", layers.get(0), "app:1").ok(); // four layers and the config: five blobs
    cli.run("commit", "--layer", layers.get(1), "--layer", layers.get(2), "--layer", layers.get(3), "app:1", "app:1")
        .ok();
    try (FaultProxy proxy = new FaultProxy(registry.port(), 11, 0.3)) {
      String pushed = cli.run("push", "app:1", proxy.registry() + "/cli/app:1").ok().line();
      assertTrue(proxy.faults(FaultProxy.Fault.DROPPED_AFTER_FORWARDING) + proxy.faults(FaultProxy.Fault.UNAVAILABLE)
          + proxy.faults(FaultProxy.Fault.THROTTLED) > 0, "the proxy failed some writes");
      verify(Digest.parse(pushed.substring(pushed.indexOf('@') + 1)), "cli/app:1");
    }
  }

  /**
   * A real process, killed with SIGKILL while its tenth chunk of ten is on the way (held by the
   * proxy, unanswered, the registry holding nine): the next push sends only the rest of the layer.
   */
  @Test
  void aPushKilledAtNinetyPercentOfALayerIsContinuedByTheNextRun(@TempDir Path home) throws Exception {
    byte[] content = new byte[10 * CHUNK - (16 << 10)];
    new Random(9).nextBytes(content);
    Path tar = Tars.create().file("big.bin", content).write(home.resolve("big.tar"));
    Path config = Files.writeString(home.resolve("config.json"), "{\"upload-chunk-size\": \"" + (CHUNK >> 10) + "KiB\"}");
    Path cache = home.resolve("cache");
    Cli cli = new Cli(home).env("XDG_CACHE_HOME", cache.toString()).env("IMGTOOL_CONFIG", config.toString());
    cli.run("import", "--compression", "none", tar.toString(), "big:1").ok();
    long layer = Json.MAPPER.readTree(cli.run("inspect", "big:1").ok().out()).get(0).at("/Manifest/layers/0/size").asLong();

    try (CountingRelay relay = new CountingRelay(registry.port());
        FaultProxy proxy = new FaultProxy(relay.port(), 0, 0)) {
      String target = proxy.registry() + "/killed/app:1";
      proxy.breakAtOffset(9L * CHUNK, FaultProxy.Cut.HELD);
      Process push = jar(home, cache, config, "push", "big:1", target);
      try {
        assertTrue(proxy.awaitBreak(Duration.ofSeconds(120)), "the push reached the tenth chunk");
      } finally {
        push.destroyForcibly().waitFor(); // kill -9
      }
      assertTrue(Files.readString(cache.resolve("imgtool/upload-sessions.json")).contains("killed/app@"),
          "the killed push left its session behind");
      long first = relay.bytesSent();
      assertTrue(first > 9L * CHUNK, "the killed push sent nine chunks: " + first);

      proxy.repair();
      String pushed = cli.run("push", "big:1", target).ok().line();
      long second = relay.bytesSent() - first;
      assertTrue(second >= layer - 9L * CHUNK && second < layer - 9L * CHUNK + (64 << 10),
          "the second push sent the last " + (layer - 9L * CHUNK) + " bytes of the layer (and the config), not "
              + second);
      verify(Digest.parse(pushed.substring(pushed.indexOf('@') + 1)), "killed/app:1");
    }
  }

  /** The imgtool jar in a process of its own, on the given home, cache and settings. */
  private static Process jar(Path home, Path cache, Path config, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("imgtool.jar")));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(home.resolve("killed-push.log").toFile());
    builder.environment().put("HOME", home.toString());
    builder.environment().put("IMGTOOL_STORE", home.resolve("store").toString());
    builder.environment().put("XDG_CACHE_HOME", cache.toString());
    builder.environment().put("IMGTOOL_CONFIG", config.toString());
    return builder.start();
  }

  @Test
  void aSessionTheRegistryNoLongerTakesIsReplacedByAFreshUpload(@TempDir Path cache)
      throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 8, 4 * CHUNK - (16 << 10));
    long layer = image.layers().get(0).size();
    UploadSessions sessions = UploadSessions.file(cache.resolve("upload-sessions.json"));
    try (CountingRelay relay = new CountingRelay(registry.port());
        FaultProxy proxy = new FaultProxy(relay.port(), 0, 0)) {
      // The registry takes the fourth chunk but its answer, with the session's new state, is lost:
      // Distribution refuses (and cancels) a session asked about with an out-of-date state.
      proxy.breakAtOffset(3L * CHUNK, FaultProxy.Cut.AFTER_REGISTRY);
      assertThrows(RegistryException.class, () -> push(proxy.registry(), image, "restarted/app:1", sessions));
      long first = relay.bytesSent();

      proxy.repair();
      push(proxy.registry(), image, "restarted/app:1", sessions);
      assertTrue(relay.bytesSent() - first >= layer, "the layer went up again, whole");
    }
    verify(image, "restarted/app:1");
  }

  /**
   * What the registry holds: the manifest's exact bytes as skopeo reads them hash to the image's
   * digest, and every blob it names, as the registry serves it, hashes to its digest.
   */
  private static void verify(Image image, String name) throws Exception {
    verify(image.manifest().digest(), name);
  }

  private static void verify(Digest manifest, String name) throws Exception {
    byte[] raw = Judges.skopeoRaw(registry.registry() + "/" + name);
    assertEquals(manifest, Digest.sha256(raw));
    JsonNode parsed = Json.MAPPER.readTree(raw);
    List<JsonNode> blobs = new ArrayList<>();
    parsed.get("layers").forEach(blobs::add);
    blobs.add(parsed.get("config"));
    String repository = name.substring(0, name.indexOf(':'));
    for (JsonNode blob : blobs) {
      String digest = blob.get("digest").asText();
      assertEquals(digest, Digest.sha256(registry.getBlob(repository, digest)).toString(), name + " " + digest);
    }
  }
}
