package io.imgtool.registry.it;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.Credential;
import io.imgtool.registry.CredentialProvider;
import io.imgtool.registry.Puller;
import io.imgtool.registry.Pusher;
import io.imgtool.registry.Registries;
import io.imgtool.registry.RegistryException;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.registry.TransportPolicy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real registry with token auth, like Aliyun: RS256 JWTs from a token server that lets a user
 * push only into their own namespace.
 */
class TokenRegistryIT {
  @TempDir static Path dir;
  static RegistryFixture registry;
  static final Credential ALICE = new Credential(RegistryFixture.USER, RegistryFixture.PASSWORD);

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry");
    registry = RegistryFixture.token(dir.resolve("registry"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private static Registries alice() {
    return new Registries(TransportPolicy.defaults(), CredentialProvider.of(ALICE));
  }

  private static ImageReference ref(String name) {
    return ImageReference.parse(registry.registry() + "/" + name);
  }

  private static Digest push(Registries registries, Image image, String name, Map<Digest, ImageReference> origins,
      RecordingListener listener) throws Exception {
    return new Pusher(registries, 4, RetryPolicy.defaults(), listener).push(image, ref(name), origins);
  }

  @Test
  void userPushesIntoTheirOwnNamespaceAndOthersCanPull() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 21, 2, 500);
    Digest digest = push(alice(), image, "alice/app:1", Map.of(), new RecordingListener());
    assertTrue(registry.tokenServer().requestedScopes().contains("repository:alice/app:pull,push"),
        registry.tokenServer().requestedScopes().toString());

    Registries bob = new Registries(TransportPolicy.defaults(),
        CredentialProvider.of(new Credential(RegistryFixture.OTHER_USER, RegistryFixture.OTHER_PASSWORD)));
    var pulled = new Puller(bob, 2, RetryPolicy.defaults(), new RecordingListener())
        .pull(ref("alice/app:1"), Platform.parse("linux/amd64"), new MemoryTarget());
    assertEquals(digest, pulled.manifest().digest());

    Judges.require("skopeo", "umoci");
    var inspect = Tools.skopeoInspect(registry.registry() + "/alice/app:1",
        RegistryFixture.USER + ":" + RegistryFixture.PASSWORD);
    assertEquals(digest.toString(), inspect.path("Digest").asText());
  }

  @Test
  void pushOutsideTheNamespaceIsDeniedWithAdvice() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 22, 1, 100);
    RegistryException e = assertThrows(RegistryException.class,
        () -> push(alice(), image, "bob/app:1", Map.of(), new RecordingListener()));
    assertTrue(e.getMessage().contains("namespace must exist and belong to the account"), e.getMessage());
    assertTrue(e.hasCode("DENIED"), e.codes().toString());
    assertFalse(e.getMessage().contains(RegistryFixture.PASSWORD));
  }

  @Test
  void anonymousPullOfAPrivateRepositorySaysToLogIn() throws Exception {
    push(alice(), TestImages.build(Format.OCI, "amd64", 23, 1, 100), "alice/private:1", Map.of(),
        new RecordingListener());
    Registries anonymous = new Registries(TransportPolicy.defaults(), CredentialProvider.NONE);
    RegistryException e = assertThrows(RegistryException.class,
        () -> new Puller(anonymous, 1, RetryPolicy.defaults(), new RecordingListener())
            .pull(ref("alice/private:1"), Platform.parse("linux/amd64"), new MemoryTarget()));
    assertTrue(e.getMessage().contains("imgtool login " + registry.registry()), e.getMessage());
  }

  @Test
  void mountAsksForPullOnTheSourceAndPushOnTheTarget() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 24, 2, 100);
    ImageReference base = ref("alice/base:1");
    push(alice(), image, "alice/base:1", Map.of(), new RecordingListener());

    Map<Digest, ImageReference> origins = new HashMap<>();
    image.layers().forEach(l -> origins.put(l.digest(), base));
    RecordingListener listener = new RecordingListener();
    push(alice(), image, "alice/derived:1", origins, listener);
    assertEquals(2, listener.count("mounted"));
    assertTrue(registry.tokenServer().requestedScopes().stream()
        .map(s -> new java.util.TreeSet<>(List.of(s.split(" "))))
        .anyMatch(s -> s.equals(new java.util.TreeSet<>(
            List.of("repository:alice/base:pull", "repository:alice/derived:pull,push")))),
        registry.tokenServer().requestedScopes().toString());
  }

  /**
   * Issue 12: every blob the registry holds in another repository of the namespace, as recorded by
   * an earlier push, costs one mount request and no bytes, also when the image names another
   * origin for its layers (a base on another registry, or a repository the push may not read).
   */
  @Test
  void aSecondRepositoryOfTheNamespaceMountsEveryRememberedBlob() throws Exception {
    assertMountsEveryBlob(28, Map.of(), "alice/first:1", "alice/second:1");
  }

  @Test
  void rememberedBlobsAreMountedWhenTheBaseIsOnAnotherRegistry() throws Exception {
    assertMountsEveryBlob(29, Map.of("layers", ImageReference.parse("registry.example.com/library/base:1")),
        "alice/first-hub:1", "alice/second-hub:1");
  }

  @Test
  void rememberedBlobsAreMountedWhenTheBaseRepositoryIsUnreadable() throws Exception {
    assertMountsEveryBlob(30, Map.of("layers", ref("sealed/base:1")), "alice/first-sealed:1", "alice/second-sealed:1");
  }

  /** Pushes an image twice, each time as a new process would; the second push must mount all of it. */
  private static void assertMountsEveryBlob(long seed, Map<String, ImageReference> layerOrigin, String first,
      String second) throws Exception {
    Path remembered = dir.resolve("blob-locations-" + seed + ".json");
    Image image = TestImages.build(Format.OCI, "amd64", seed, 2, 300);
    Map<Digest, ImageReference> origins = new HashMap<>();
    if (layerOrigin.containsKey("layers")) {
      image.layers().forEach(l -> origins.put(l.digest(), layerOrigin.get("layers")));
    }
    push(alice().rememberingBlobLocations(io.imgtool.registry.BlobLocations.file(remembered)), image, first,
        origins, new RecordingListener());

    RecordingListener listener = new RecordingListener();
    Digest digest = push(alice().rememberingBlobLocations(io.imgtool.registry.BlobLocations.file(remembered)),
        image, second, origins, listener);

    assertEquals(image.manifest().digest(), digest);
    assertEquals(3, listener.count("mounted"), listener.events.toString());
    assertEquals(0, listener.count("pushed"), listener.events.toString());
    String repository = ImageReference.parse(registry.registry() + "/" + second).repository();
    assertEquals(List.of(), registry.uploadSessions(repository), "no upload session was left open");
  }

  @Test
  void aMountTheTokenDoesNotAllowFallsBackToAnUpload() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 26, 2, 100);
    Map<Digest, ImageReference> origins = new HashMap<>();
    image.layers().forEach(l -> origins.put(l.digest(), ref("sealed/base:1"))); // nobody may pull there
    RecordingListener listener = new RecordingListener();
    Digest digest = push(alice(), image, "alice/unsealed:1", origins, listener);
    assertEquals(image.manifest().digest(), digest);
    assertEquals(0, listener.count("mounted"));
    assertEquals(3, listener.count("pushed"));
  }

  @Test
  void catalogAsksForTheCatalogScope() throws Exception {
    push(alice(), TestImages.build(Format.OCI, "amd64", 25, 1, 100), "alice/listed:1", Map.of(),
        new RecordingListener());
    List<String> repositories = alice().client(registry.registry()).catalog(1);
    assertTrue(repositories.contains("alice/listed"), repositories.toString());
    assertTrue(registry.tokenServer().requestedScopes().contains("registry:catalog:*"));
  }

  @Test
  void loginChecksThePasswordWithTheTokenService() throws Exception {
    Registries registries = new Registries(TransportPolicy.defaults(), CredentialProvider.NONE);
    registries.clientWith(registry.registry(), ALICE).verifyCredentials();
    RegistryException e = assertThrows(RegistryException.class, () -> registries
        .clientWith(registry.registry(), new Credential(RegistryFixture.USER, "wrong-pw")).verifyCredentials());
    assertTrue(e.getMessage().contains("rejected the user name or password"), e.getMessage());
    assertFalse(e.getMessage().contains("wrong-pw"));
  }

  @Test
  void tokenServiceThatOnlyAcceptsPostIsAskedWithTheOAuthForm() throws Exception {
    registry.tokenServer().postOnly(true);
    try {
      Digest digest = push(alice(), TestImages.build(Format.OCI, "amd64", 26, 1, 100), "alice/posted:1",
          Map.of(), new RecordingListener());
      assertTrue(digest.toString().startsWith("sha256:"));
      assertTrue(registry.tokenServer().methods().contains("POST"));
    } finally {
      registry.tokenServer().postOnly(false);
    }
  }
}
