package io.imgtool.registry.it;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.Json;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.CredentialProvider;
import io.imgtool.registry.Pusher;
import io.imgtool.registry.Registries;
import io.imgtool.registry.RegistryException;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.registry.TransportPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --insecure} rules against a plain-HTTP registry that is not on loopback (loopback is
 * insecure by default, as in Docker, so it cannot show them): refused without marking, accepted
 * when named insecure or listed in insecure-registries by host:port, host or CIDR.
 */
class NetnsRegistryIT {
  @TempDir static Path dir;
  static NetnsRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    var reason = NetnsRegistry.unavailableReason();
    Judges.requireThat(reason.isEmpty(), "the non-loopback registry tests: " + reason.orElse(""));
    registry = NetnsRegistry.start(dir.resolve("registry"));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static ImageReference ref(String name) {
    return ImageReference.parse(registry.host() + "/" + name);
  }

  private static Digest push(TransportPolicy policy, Image image, ImageReference target) throws Exception {
    Registries registries = new Registries(policy, CredentialProvider.NONE);
    RetryPolicy once = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    return new Pusher(registries, 4, once, new RecordingListener()).push(image, target, Map.of());
  }

  @Test
  void pushToAnUnmarkedPlainHttpRegistryNamesTheProblemAndBothFixes() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 101, 1, 100);
    RegistryException e = assertThrows(RegistryException.class,
        () -> push(TransportPolicy.defaults(), image, ref("refused:1")));
    assertTrue(e.getMessage().contains("server gave HTTP response to HTTPS client"), e.getMessage());
    assertTrue(e.getMessage().contains("--insecure"), e.getMessage());
    assertTrue(e.getMessage().contains("insecure-registries"), e.getMessage());
    assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
    assertFalse(catalog().contains("refused"), "nothing may be pushed over plain HTTP unasked");
  }

  @Test
  void pushWithInsecureIsReadableBySkopeoAndListedInTheCatalog() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 102, 2, 1000);
    ImageReference target = ref("yyubuntu:1.2");
    Digest digest = push(TransportPolicy.builder().insecure(registry.host()).build(), image, target);

    assertEquals(image.manifest().digest(), digest);
    assertTrue(catalog().contains("yyubuntu"), catalog().toString());
    Judges.require("skopeo", "umoci");
    JsonNode inspect = Tools.skopeoInspect(target.toString(), null);
    assertEquals(digest.toString(), inspect.path("Digest").asText());
    assertEquals(2, inspect.path("Layers").size());
  }

  @Test
  void insecureRegistriesEntryByCidrAllowsThePush() throws Exception {
    assertPushesWith(List.of(registry.cidr()), "by-cidr");
  }

  @Test
  void insecureRegistriesEntryByHostAndPortAllowsThePush() throws Exception {
    assertPushesWith(List.of(registry.host()), "by-host-port");
  }

  /**
   * A bare host entry covers every port of that host. Docker is stricter (its entry "h" matches
   * only the registry named "h", i.e. port 443); imgtool's settings document "by host".
   */
  @Test
  void insecureRegistriesEntryByHostAloneAllowsThePushOnAnyPort() throws Exception {
    assertPushesWith(List.of(registry.address()), "by-host");
  }

  @Test
  void entriesForOtherRegistriesDoNotMakeThisOneInsecure() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 103, 1, 100);
    TransportPolicy others = TransportPolicy.builder()
        .insecure(registry.address() + ":5001")
        .insecureRegistries(List.of(registry.address() + ":5001", "10.232.0.0/16", registry.address() + "/32x"))
        .build();
    RegistryException e = assertThrows(RegistryException.class, () -> push(others, image, ref("others:1")));
    assertTrue(e.getMessage().contains("server gave HTTP response to HTTPS client"), e.getMessage());
  }

  @Test
  void closeStopsTheRegistryAndRemovesTheNamespaceAndTheVethPair(@TempDir Path work) throws Exception {
    NetnsRegistry second = NetnsRegistry.start(work.resolve("second"));
    String namespace = second.namespace();
    assertTrue(namespaces().contains(namespace));
    second.close();

    assertFalse(namespaces().contains(namespace), namespaces().toString());
    assertFalse(ip("-br", "link").contains("imgh" + namespace.substring(namespace.lastIndexOf('-') + 1)));
    catalog(); // the class's own registry still answers (curl fails otherwise)
  }

  @Test
  void cleanupStaleRemovesNamespacesOfDeadRunsOnly() throws Exception {
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    String id = String.format("%06x", new java.util.Random().nextInt(1 << 24));
    String stale = "imgtool-" + finished.pid() + "-" + id;
    ip("netns", "add", stale);
    ip("link", "add", "imgh" + id, "type", "veth", "peer", "name", "imgn" + id, "netns", stale);

    NetnsRegistry.cleanupStale();
    assertFalse(namespaces().contains(stale), namespaces().toString());
    assertFalse(ip("-br", "link").contains("imgh" + id));
    assertTrue(namespaces().contains(registry.namespace()), "a live run's namespace is kept");
  }

  private static void assertPushesWith(List<String> insecureRegistries, String repository) throws Exception {
    Image image = TestImages.build(Format.DOCKER, "amd64", repository.hashCode(), 1, 100);
    TransportPolicy policy = TransportPolicy.builder().insecureRegistries(insecureRegistries).build();
    Digest digest = push(policy, image, ref(repository + ":1"));
    assertEquals(image.manifest().digest(), digest);
    assertTrue(catalog().contains(repository), catalog().toString());
  }

  /** The registry's catalog as curl sees it, independently of imgtool's client. */
  private static List<String> catalog() throws Exception {
    String body = RegistryFixture.run(null, List.of("curl", "-sS", "--max-time", "10",
        registry.baseUri() + "/v2/_catalog"));
    List<String> repositories = new ArrayList<>();
    Json.MAPPER.readTree(body).path("repositories").forEach(n -> repositories.add(n.asText()));
    return repositories;
  }

  private static List<String> namespaces() throws Exception {
    List<String> names = new ArrayList<>();
    for (String line : ip("netns", "list").split("\n")) {
      if (!line.isBlank()) {
        names.add(line.strip().split("\\s+")[0]);
      }
    }
    return names;
  }

  private static String ip(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(arguments));
    return RegistryFixture.run(null, command);
  }
}
