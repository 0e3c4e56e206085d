package io.imgtool.registry.it;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.Credential;
import io.imgtool.registry.CredentialProvider;
import io.imgtool.registry.HttpTrace;
import io.imgtool.registry.Pusher;
import io.imgtool.registry.Registries;
import io.imgtool.registry.RegistryException;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.registry.TransportPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real registry with htpasswd (bcrypt) users behind a self-signed TLS certificate. */
class HtpasswdTlsRegistryIT {
  @TempDir static Path dir;
  static RegistryFixture registry;
  static final Credential ALICE = new Credential(RegistryFixture.USER, RegistryFixture.PASSWORD);

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry");
    registry = RegistryFixture.htpasswdTls(dir.resolve("registry"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private static Digest push(Registries registries, String name) throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", name.hashCode(), 2, 1000);
    return new Pusher(registries, 4, RetryPolicy.defaults(), new RecordingListener())
        .push(image, ImageReference.parse(registry.registry() + "/" + name), Map.of());
  }

  @Test
  void pushWithoutCredentialsSaysToLogIn() {
    Registries anonymous = new Registries(TransportPolicy.defaults(), CredentialProvider.NONE);
    RegistryException e = assertThrows(RegistryException.class, () -> push(anonymous, "secret/app:1"));
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains("imgtool login " + registry.registry()), e.getMessage());
  }

  @Test
  void loopbackRegistryWithSelfSignedCertificateAcceptsBasicAuthPush() throws Exception {
    List<String> trace = new CopyOnWriteArrayList<>();
    Registries registries = new Registries(TransportPolicy.defaults(), CredentialProvider.of(ALICE), List.of(),
        trace::add);
    Digest digest = push(registries, "team/app:1");

    assertTrue(trace.stream().anyMatch(l -> l.contains("Authorization: Basic <redacted>")), trace.toString());
    assertFalse(String.join("\n", trace).contains(RegistryFixture.PASSWORD));
    assertFalse(String.join("\n", trace).contains(ALICE.basicAuthorization64()));
    Judges.require("skopeo", "umoci");
    var inspect = Tools.skopeoInspect(registry.registry() + "/team/app:1",
        RegistryFixture.USER + ":" + RegistryFixture.PASSWORD);
    assertEquals(digest.toString(), inspect.path("Digest").asText());
  }

  @Test
  void verifiedTlsNeedsTheCaInCertsD(@TempDir Path config) throws Exception {
    TransportPolicy strict = TransportPolicy.builder().loopbackInsecure(false)
        .certsDirectories(List.of(config.resolve("certs.d"))).build();
    RegistryException e = assertThrows(RegistryException.class,
        () -> new Registries(strict, CredentialProvider.of(ALICE)).client(registry.registry()).catalog(0));
    assertTrue(e.getMessage().contains("cannot verify the TLS certificate"), e.getMessage());
    assertTrue(e.getMessage().contains("certs.d/" + registry.registry()), e.getMessage());

    Path caDir = config.resolve("certs.d").resolve(registry.registry());
    Files.createDirectories(caDir);
    Files.copy(registry.certificate(), caDir.resolve("ca.crt"));
    Digest digest = push(new Registries(strict, CredentialProvider.of(ALICE)), "verified/app:1");
    assertTrue(digest.toString().startsWith("sha256:"));
  }

  @Test
  void loginVerifiesTheCredentialsBeforeAnythingIsSaved() throws Exception {
    Registries registries = new Registries(TransportPolicy.defaults(), CredentialProvider.NONE);
    registries.clientWith(registry.registry(), ALICE).verifyCredentials();

    Credential wrong = new Credential(RegistryFixture.USER, "not-the-password");
    RegistryException e = assertThrows(RegistryException.class,
        () -> registries.clientWith(registry.registry(), wrong).verifyCredentials());
    assertTrue(e.getMessage().contains("login to " + registry.registry() + " failed"), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-password"));
  }

  @Test
  void debugTraceNeverShowsSecrets() throws Exception {
    List<String> trace = new CopyOnWriteArrayList<>();
    HttpTrace recorder = trace::add;
    Registries registries = new Registries(TransportPolicy.defaults(), CredentialProvider.of(ALICE), List.of(),
        recorder);
    registries.client(registry.registry()).catalog(0);
    String all = String.join("\n", trace);
    assertFalse(all.contains(RegistryFixture.PASSWORD), all);
    assertFalse(all.contains(ALICE.basicAuthorization64()), all);
  }
}
