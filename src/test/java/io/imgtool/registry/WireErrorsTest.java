package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.imgtool.image.Platform;
import io.imgtool.image.TransferListener;
import io.imgtool.image.VerifyingInputStream;
import io.imgtool.name.ImageReference;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failures on the wire a real registry does not produce on demand (a redirect loop, a dropped
 * connection), and how they read: what failed, where, and why, never a Java class name.
 */
class WireErrorsTest {
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/v2/")) {
      exchange.sendResponseHeaders(200, -1);
    } else if (path.startsWith("/v2/loop/")) {
      exchange.getResponseHeaders().add("Location", path);
      exchange.sendResponseHeaders(307, -1);
    } else if (path.startsWith("/v2/drop/")) {
      exchange.sendResponseHeaders(200, 1000); // promises 1000 bytes, sends 3, hangs up
      exchange.getResponseBody().write("{\"s".getBytes());
    }
    exchange.close();
  }

  private RemoteImages images() {
    String registry = "127.0.0.1:" + server.getAddress().getPort();
    TransportPolicy policy = TransportPolicy.builder().insecureRegistries(List.of("http://" + registry)).build();
    return new RemoteImages(new Registries(policy, CredentialProvider.NONE),
        new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2)), TransferListener.NONE);
  }

  private ImageReference name(String repository) {
    return ImageReference.parse("127.0.0.1:" + server.getAddress().getPort() + "/" + repository + ":1");
  }

  @Test
  void aRedirectLoopIsNamedAsOneNotAsAnHttpStatus() {
    RegistryException e = assertThrows(RegistryException.class, () -> images().fetch(name("loop"), Platform.host()));
    assertTrue(e.getMessage().contains("stopped after 10 redirects"), e.getMessage());
    assertTrue(e.getMessage().contains("/v2/loop/manifests/1"), e.getMessage());
    assertFalse(e.getMessage().contains("HTTP 307"), e.getMessage());
  }

  @Test
  void aDroppedConnectionNamesTheStepThatFailed() {
    RegistryException e = assertThrows(RegistryException.class, () -> images().fetch(name("drop"), Platform.host()));
    assertTrue(e.getMessage().startsWith("fetching manifest of 127.0.0.1:"), e.getMessage());
    assertTrue(e.getMessage().contains("drop:1 failed: the connection was closed before the exchange was complete"),
        e.getMessage());
  }

  @Test
  void wrappedFailuresReadAsTheirCauseWithoutClassNames() {
    IOException wrapped = new IOException(new VerifyingInputStream.BlobMismatchException("blob sha256:ab is corrupt"));
    assertEquals("blob sha256:ab is corrupt", RegistryClient.describe(wrapped));
    java.net.ConnectException lookup = new java.net.ConnectException();
    lookup.initCause(new java.nio.channels.UnresolvedAddressException());
    assertEquals("no such host", RegistryClient.describe(new IOException(null, lookup)));
    assertEquals("; check the registry's name", RegistryClient.hint(lookup));
    assertEquals("I/O error", RegistryClient.describe(new IOException()));
    assertTrue(RegistryClient.describe(new IOException("closed")).startsWith("the connection was closed"));
  }

  @Test
  void aProxyThatRefusesLargeBodiesIsNamed() {
    byte[] nginx = "<html><head><title>413 Request Entity Too Large</title></head></html>".getBytes();
    RegistryException e = RegistryErrors.of("uploading blob sha256:ab to r.example/app", "r.example", 413, nginx, true);
    assertEquals("uploading blob sha256:ab to r.example/app failed (HTTP 413). Something in front of r.example"
        + " (usually a proxy such as nginx) refuses requests this large; allow them there (nginx: client_max_body_size 0;)",
        e.getMessage());
  }

  @Test
  void rejectedCredentialsSayHowToReplaceThem() {
    RegistryException e = RegistryErrors.rejectedCredentials("pushing manifest to r.example/app:1", "r.example", 401,
        new byte[0]);
    assertTrue(e.hasCode("UNAUTHORIZED"));
    assertEquals("pushing manifest to r.example/app:1 failed (HTTP 401): the saved credentials for r.example were"
        + " rejected. If the password changed or the token expired, log in again: imgtool login r.example", e.getMessage());
  }
}
