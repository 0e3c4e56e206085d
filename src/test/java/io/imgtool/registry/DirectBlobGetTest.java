package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.imgtool.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob GETs read straight from the socket ({@link DirectBlobGet}): the registry's redirect to a
 * storage host over verified HTTPS, where the certificate must be trusted and name the host, as
 * on the regular client's path; bodies cut short; answers left to the regular client.
 */
class DirectBlobGetTest {
  private static final byte[] CONTENT = "blob in object storage".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.sha256(CONTENT);

  @TempDir
  static Path keys;
  @TempDir
  Path dir;
  private HttpServer registry;
  private HttpsServer storage;
  private final List<String> registryLog = new CopyOnWriteArrayList<>();
  private volatile int storageLength = CONTENT.length;
  private volatile String redirectHost = "127.0.0.1";

  @BeforeEach
  void start() throws IOException {
    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext("/", this::registry);
    registry.start();
  }

  @AfterEach
  void stop() {
    registry.stop(0);
    if (storage != null) {
      storage.stop(0);
    }
  }

  @Test
  void aStorageHostWhoseCertificateNamesItServesTheBlob() throws Exception {
    startStorage("IP:127.0.0.1");
    try (InputStream in = openBlob()) {
      assertArrayEquals(CONTENT, in.readAllBytes());
    }
  }

  @Test
  void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
    startStorage("DNS:elsewhere.test");
    IOException e = assertThrows(IOException.class, this::openBlob);
    assertTrue(RegistryClient.describe(e).startsWith("TLS failed"), RegistryClient.describe(e));
  }

  @Test
  void theRegularClientRefusesThatCertificateToo() throws Exception {
    startStorage("DNS:elsewhere.test");
    String name = "127.0.0.1:" + storage.getAddress().getPort();
    TransportPolicy policy = TransportPolicy.builder().loopbackInsecure(false)
        .certsDirectories(List.of(dir.resolve("certs.d"))).build();
    RegistryException e = assertThrows(RegistryException.class,
        () -> new Registries(policy, CredentialProvider.NONE).client(name).catalog(0));
    assertTrue(e.getMessage().contains("cannot verify the TLS certificate"), e.getMessage());
  }

  @Test
  void aBodyCutShortIsAnErrorNotAShortBlob() throws Exception {
    startStorage("IP:127.0.0.1");
    storageLength = CONTENT.length + 100; // the server closes after CONTENT
    try (InputStream in = openBlob()) {
      IOException e = assertThrows(IOException.class, in::readAllBytes);
      assertTrue(RegistryClient.describe(e).startsWith("the connection was closed"), RegistryClient.describe(e));
    }
  }

  @Test
  void anErrorAnswerIsAskedAgainTheRegularWay() throws Exception {
    startStorage("IP:127.0.0.1");
    redirectHost = null; // the registry answers 404 BLOB_UNKNOWN
    RegistryException e = assertThrows(RegistryException.class, this::openBlob);
    assertEquals(404, e.status());
    assertTrue(e.hasCode("BLOB_UNKNOWN"), e.getMessage());
    // Once straight from the socket, then once more through java.net.http for the error.
    assertEquals(2, registryLog.stream().filter(l -> l.startsWith("GET /v2/app/blobs/")).count(), registryLog.toString());
  }

  private InputStream openBlob() throws IOException {
    String name = "127.0.0.1:" + registry.getAddress().getPort();
    TransportPolicy policy = TransportPolicy.builder().loopbackInsecure(false)
        .insecureRegistries(List.of("http://" + name)) // the mock registry speaks plain HTTP only
        .certsDirectories(List.of(dir.resolve("certs.d"))).build();
    return new Registries(policy, CredentialProvider.NONE).client(name).repositoryForPull("app").openBlob(DIGEST);
  }

  private void registry(HttpExchange exchange) throws IOException {
    registryLog.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/v2/")) {
      exchange.sendResponseHeaders(200, -1);
    } else if (redirectHost == null) {
      byte[] error = "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(404, error.length);
      exchange.getResponseBody().write(error);
    } else {
      exchange.getResponseHeaders().add("Location", "https://" + redirectHost + ":"
          + storage.getAddress().getPort() + "/" + DIGEST);
      exchange.sendResponseHeaders(307, -1);
    }
    exchange.close();
  }

  /** An HTTPS storage host whose self-signed certificate has the given subjectAltName, trusted in certs.d. */
  private void startStorage(String subjectAltName) throws Exception {
    Path keystore = TestKeystores.selfSigned(keys, subjectAltName);
    storage = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Path ca = dir.resolve("certs.d").resolve("127.0.0.1:" + storage.getAddress().getPort()).resolve("ca.crt");
    Files.createDirectories(ca.getParent());
    Files.copy(TestKeystores.certificate(keystore), ca);
    storage.setHttpsConfigurator(new HttpsConfigurator(TestKeystores.serverContext(keystore)));
    storage.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, storageLength);
      exchange.getResponseBody().write(CONTENT);
      exchange.close();
    });
    storage.start();
  }
}
