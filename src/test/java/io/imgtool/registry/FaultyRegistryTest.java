package io.imgtool.registry;

import io.imgtool.image.TransferListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Json;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import io.imgtool.name.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults a real registry does not produce on demand (503, 429 with Retry-After, a connection
 * dropped mid-upload, redirects to a storage host, tag pages), from a small mock registry.
 */
class FaultyRegistryTest {
  private static final Credential USER = new Credential("user", "pa55-word");

  private HttpServer server;
  private HttpServer storage;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final AtomicInteger postFaults = new AtomicInteger();
  private final AtomicInteger patchDrops = new AtomicInteger();
  private final AtomicInteger manifestThrottles = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private volatile String storageAuthorization = "unset";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    storage.createContext("/", exchange -> {
      storageAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
      byte[] body = blobs.get(exchange.getRequestURI().getPath().substring(1));
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    storage.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    storage.stop(0);
  }

  private String registry() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private Registries registries() {
    // http:// in insecure-registries: straight to plain HTTP (the JDK server never answers a TLS hello)
    TransportPolicy policy = TransportPolicy.builder().insecureRegistries(List.of("http://" + registry())).build();
    return new Registries(policy, CredentialProvider.of(USER));
  }

  private static RetryPolicy fast() {
    return new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50));
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    log.add(method + " " + exchange.getRequestURI());
    if (!USER.basicAuthorization().equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "BASIC realm=\"mock, with comma\"");
      reply(exchange, 401, null);
      return;
    }
    if (path.equals("/v2/")) {
      reply(exchange, 200, null);
    } else if (method.equals("HEAD") && path.contains("/blobs/")) {
      String digest = path.substring(path.lastIndexOf('/') + 1);
      reply(exchange, blobs.containsKey(digest) ? 200 : 404, null);
    } else if (method.equals("GET") && path.contains("/blobs/")) {
      String digest = path.substring(path.lastIndexOf('/') + 1);
      exchange.getResponseHeaders().add("Location",
          "http://localhost:" + storage.getAddress().getPort() + "/" + digest + "?X-Amz-Signature=s3cr3t");
      reply(exchange, 307, null);
    } else if (method.equals("POST") && path.endsWith("/blobs/uploads/")) {
      if (postFaults.getAndDecrement() > 0) {
        reply(exchange, 503, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"busy\"}]}");
        return;
      }
      exchange.getResponseHeaders().add("Location", "/v2/app/blobs/uploads/" + sessions.incrementAndGet()
          + "?_state=first");
      reply(exchange, 202, null);
    } else if (method.equals("PATCH")) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (patchDrops.getAndDecrement() > 0) {
        exchange.close(); // drop the connection without an answer
        return;
      }
      blobs.put("pending" + path, body);
      exchange.getResponseHeaders().add("Location", path + "?_state=second");
      reply(exchange, 202, null);
    } else if (method.equals("PUT") && path.contains("/blobs/uploads/")) {
      assertTrue(query.startsWith("_state=second&digest="), query);
      String digest = URLDecoder.decode(query.substring(query.indexOf("digest=") + 7), StandardCharsets.UTF_8);
      byte[] body = blobs.remove("pending" + path);
      assertEquals(digest, Digest.sha256(body).toString());
      blobs.put(digest, body);
      exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
      reply(exchange, 201, null);
    } else if (method.equals("DELETE")) {
      reply(exchange, 204, null);
    } else if (method.equals("PUT") && path.contains("/manifests/")) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (manifestThrottles.getAndDecrement() > 0) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        reply(exchange, 429, "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}");
        return;
      }
      exchange.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(body).toString());
      reply(exchange, 201, null);
    } else if (path.endsWith("/tags/list")) {
      if (query == null || !query.contains("last=")) {
        exchange.getResponseHeaders().add("Link", "<tags/list?n=2&last=a%2Bb>; rel=\"next\"");
        reply(exchange, 200, "{\"name\":\"app\",\"tags\":[\"1\",\"a+b\"]}");
      } else {
        assertTrue(query.contains("last=a%2Bb"), query);
        reply(exchange, 200, "{\"name\":\"app\",\"tags\":[\"c\"]}");
      }
    } else {
      reply(exchange, 404, null);
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static Image smallImage() {
    byte[] layer = "not really a tar, but bytes are bytes".getBytes(StandardCharsets.UTF_8);
    var config = Json.object();
    config.put("architecture", "amd64").put("os", "linux");
    config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(Digest.sha256(layer).toString());
    ImageConfig imageConfig = ImageConfig.of(config);
    Descriptor layerDescriptor = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(layer), layer.length);
    Manifest manifest = Manifest.create(Format.OCI,
        Descriptor.of(MediaType.OCI_CONFIG, imageConfig.digest(), imageConfig.size()), List.of(layerDescriptor), Map.of());
    return new Image(manifest, imageConfig, blob -> new ByteArrayInputStream(layer));
  }

  @Test
  void pushRetriesServerErrorsDroppedConnectionsAndThrottling() throws Exception {
    postFaults.set(1);
    patchDrops.set(1);
    manifestThrottles.set(1);
    List<String> retries = new CopyOnWriteArrayList<>();
    TransferListener listener = new TransferListener() {
      @Override
      public void retrying(String step, int attempt, Duration delay, String reason) {
        retries.add(step + " after " + delay.toMillis() + "ms: " + reason);
      }
    };
    Image image = smallImage();
    Digest digest = new Pusher(registries(), 1, fast(), listener)
        .push(image, ImageReference.parse(registry() + "/app:1"), Map.of());

    assertEquals(image.manifest().digest(), digest);
    assertTrue(blobs.containsKey(image.layers().get(0).digest().toString()));
    assertTrue(blobs.containsKey(image.config().digest().toString()));
    assertEquals(3, retries.size(), retries.toString());
    assertTrue(retries.stream().anyMatch(r -> r.contains("manifest") && r.contains("after 1000ms")), retries.toString());
    assertTrue(log.stream().anyMatch(l -> l.startsWith("DELETE /v2/app/blobs/uploads/")), "broken session abandoned");
    assertFalse(String.join("\n", retries).contains(USER.secret()));
  }

  @Test
  void retriesGiveUpWithTheRegistrysExplanation() {
    postFaults.set(100);
    RegistryException e = assertThrows(RegistryException.class, () -> new Pusher(registries(), 2, fast(),
        TransferListener.NONE).push(smallImage(), ImageReference.parse(registry() + "/app:1"), Map.of()));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().contains("UNAVAILABLE busy"), e.getMessage());
    assertTrue(e.getMessage().contains("try again later"), e.getMessage());
  }

  @Test
  void blobRedirectToAnotherHostCarriesNoAuthorization() throws Exception {
    byte[] content = "blob in object storage".getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(content);
    blobs.put(digest.toString(), content);
    try (InputStream in = registries().client(registry()).repositoryForPull("app").openBlob(digest)) {
      assertEquals("blob in object storage", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertNull(storageAuthorization);
  }

  @Test
  void tagsFollowRelativeLinksWithEncodedLast() throws Exception {
    List<String> tags = registries().client(registry()).repositoryForPull("app").tags(2);
    assertEquals(List.of("1", "a+b", "c"), tags);
  }
}
