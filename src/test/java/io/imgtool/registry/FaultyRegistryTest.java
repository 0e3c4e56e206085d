package io.imgtool.registry;

import io.imgtool.image.TransferListener;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  /** PATCHes of which the mock keeps the first half, then drops the connection: a registry that keeps what arrived. */
  private final AtomicInteger patchHalves = new AtomicInteger();
  /** Sessions that vanish after a dropped PATCH, as a registry's purge makes them. */
  private final AtomicInteger sessionPurges = new AtomicInteger();
  /** PUTs that complete the blob, then drop the connection before the answer. */
  private final AtomicInteger putDropsAfterCommit = new AtomicInteger();
  private final Map<String, java.io.ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
  private final List<String> contentRanges = new CopyOnWriteArrayList<>();
  private final AtomicInteger manifestThrottles = new AtomicInteger();
  /** Answers 503 to every write while set: the registry, or the way to it, is gone. */
  private volatile boolean writesDown;
  /** Successful PATCHes after which writes go down (0: never). */
  private final AtomicInteger patchesBeforeDown = new AtomicInteger();
  private volatile String chunkMinLength;
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
    } else if (writesDown && !method.equals("GET") && !method.equals("HEAD")) {
      exchange.getRequestBody().readAllBytes();
      reply(exchange, 503, null);
    } else if (method.equals("HEAD") && path.contains("/blobs/")) {
      String digest = path.substring(path.lastIndexOf('/') + 1);
      reply(exchange, blobs.containsKey(digest) ? 200 : 404, null);
    } else if (method.equals("GET") && path.contains("/blobs/") && !path.contains("/uploads/")) {
      String digest = path.substring(path.lastIndexOf('/') + 1);
      exchange.getResponseHeaders().add("Location",
          "http://localhost:" + storage.getAddress().getPort() + "/" + digest + "?X-Amz-Signature=s3cr3t");
      reply(exchange, 307, null);
    } else if (method.equals("POST") && path.endsWith("/blobs/uploads/")) {
      if (postFaults.getAndDecrement() > 0) {
        reply(exchange, 503, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"busy\"}]}");
        return;
      }
      String session = "/v2/app/blobs/uploads/" + sessions.incrementAndGet();
      uploads.put(session, new java.io.ByteArrayOutputStream());
      exchange.getResponseHeaders().add("Location", session + "?_state=first");
      if (chunkMinLength != null) {
        exchange.getResponseHeaders().add("OCI-Chunk-Min-Length", chunkMinLength);
      }
      reply(exchange, 202, null);
    } else if (path.contains("/blobs/uploads/") && !uploads.containsKey(path)) {
      reply(exchange, 404, "{\"errors\":[{\"code\":\"BLOB_UPLOAD_UNKNOWN\",\"message\":\"blob upload unknown\"}]}");
    } else if (method.equals("GET") && path.contains("/blobs/uploads/")) {
      exchange.getResponseHeaders().add("Location", path + "?_state=status");
      exchange.getResponseHeaders().add("Range", "0-" + Math.max(0, uploads.get(path).size() - 1));
      reply(exchange, 204, null);
    } else if (method.equals("PATCH")) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      java.io.ByteArrayOutputStream held = uploads.get(path);
      String range = exchange.getRequestHeaders().getFirst("Content-Range");
      contentRanges.add(String.valueOf(range));
      if (range != null && Long.parseLong(range.substring(0, range.indexOf('-'))) != held.size()) {
        reply(exchange, 416, "{\"errors\":[{\"code\":\"RANGE_INVALID\",\"message\":\"invalid content range\"}]}");
        return;
      }
      if (patchHalves.getAndDecrement() > 0) {
        held.write(body, 0, body.length / 2);
        exchange.close(); // drop the connection without an answer, half of the bytes kept
        return;
      }
      if (patchDrops.getAndDecrement() > 0) {
        if (sessionPurges.getAndDecrement() > 0) {
          uploads.remove(path);
        }
        exchange.close(); // drop the connection without an answer
        return;
      }
      held.write(body);
      if (patchesBeforeDown.decrementAndGet() == 0) {
        writesDown = true;
      }
      exchange.getResponseHeaders().add("Location", path + "?_state=second");
      exchange.getResponseHeaders().add("Range", "0-" + (held.size() - 1));
      reply(exchange, 202, null);
    } else if (method.equals("PUT") && path.contains("/blobs/uploads/")) {
      assertTrue(query.contains("&digest="), query);
      String digest = URLDecoder.decode(query.substring(query.indexOf("digest=") + 7), StandardCharsets.UTF_8);
      byte[] body = uploads.remove(path).toByteArray();
      assertEquals(digest, Digest.sha256(body).toString());
      blobs.put(digest, body);
      if (putDropsAfterCommit.getAndDecrement() > 0) {
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
      reply(exchange, 201, null);
    } else if (method.equals("DELETE")) {
      uploads.remove(path);
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

  /** How often a layer's bytes were opened for reading. */
  private final AtomicInteger layerOpens = new AtomicInteger();

  private Image smallImage() {
    return image("not really a tar, but bytes are bytes".getBytes(StandardCharsets.UTF_8));
  }

  /** Bytes that say where they are, so that a misplaced range shows in the digest. */
  private static byte[] numbered(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + i / 256);
    }
    return bytes;
  }

  private Image image(byte[] layer) {
    var config = Json.object();
    config.put("architecture", "amd64").put("os", "linux");
    config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(Digest.sha256(layer).toString());
    ImageConfig imageConfig = ImageConfig.of(config);
    Descriptor layerDescriptor = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(layer), layer.length);
    Manifest manifest = Manifest.create(Format.OCI,
        Descriptor.of(MediaType.OCI_CONFIG, imageConfig.digest(), imageConfig.size()), List.of(layerDescriptor), Map.of());
    return new Image(manifest, imageConfig, blob -> {
      layerOpens.incrementAndGet();
      return new ByteArrayInputStream(layer);
    });
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
    assertEquals(2, sessions.get(), "the dropped PATCH is sent again into the same session: " + log);
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

  /** Found by reading the Jazzer run's notes: a realm that is no http(s) URL escaped as IllegalArgumentException. */
  @Test
  void aTokenRealmThatIsNoHttpUrlIsTheRegistrysError() throws Exception {
    for (String realm : List.of("ftp://tokens.example/token", "https://bad host/token", "/token")) {
      HttpServer bearer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      bearer.createContext("/", exchange -> {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"x\"");
        reply(exchange, 401, null);
      });
      bearer.start();
      try {
        String host = "127.0.0.1:" + bearer.getAddress().getPort();
        TransportPolicy policy = TransportPolicy.builder().insecureRegistries(List.of("http://" + host)).build();
        Registries anonymous = new Registries(policy, CredentialProvider.of(USER));
        RegistryException e = assertThrows(RegistryException.class,
            () -> anonymous.client(host).repositoryForPull("app").tags(10));
        assertTrue(e.getMessage().contains("names a token service that is no http(s) URL"), e.getMessage());
        assertFalse(e.isRetryable(), realm);
      } finally {
        bearer.stop(0);
      }
    }
  }

  @Test
  void tagsFollowRelativeLinksWithEncodedLast() throws Exception {
    List<String> tags = registries().client(registry()).repositoryForPull("app").tags(2);
    assertEquals(List.of("1", "a+b", "c"), tags);
  }

  private Digest push(Registries registries, Image image) throws IOException {
    return new Pusher(registries, 1, fast(), TransferListener.NONE)
        .push(image, ImageReference.parse(registry() + "/app:1"), Map.of());
  }

  private long puts() {
    return log.stream().filter(l -> l.startsWith("PUT /v2/app/blobs/uploads/")).count();
  }

  @Test
  void aBrokenPatchContinuesFromWhatTheRegistryHolds() throws Exception {
    byte[] layer = numbered(1000);
    patchHalves.set(1);
    push(registries(), image(layer));

    assertEquals(List.of("null", "500-999", "null"), contentRanges, "the second PATCH sends only the missing half");
    assertEquals(2, sessions.get(), "one session for the layer, one for the config");
    assertArrayEquals(layer, blobs.get(Digest.sha256(layer).toString()));
  }

  @Test
  void aVanishedSessionIsReplacedByANewOne() throws Exception {
    byte[] layer = numbered(1000);
    patchDrops.set(1);
    sessionPurges.set(1);
    push(registries(), image(layer));

    assertEquals(3, sessions.get(), "the layer's purged session is replaced: " + log);
    assertArrayEquals(layer, blobs.get(Digest.sha256(layer).toString()));
  }

  @Test
  void aPutWhoseAnswerWasLostIsNotSentAgainWhenTheBlobIsThere() throws Exception {
    putDropsAfterCommit.set(1);
    Image image = smallImage();
    push(registries(), image);

    assertEquals(2, puts(), "one PUT per blob: the HEAD after the lost answer found the blob: " + log);
    assertEquals(2, sessions.get());
    assertTrue(blobs.containsKey(image.layers().get(0).digest().toString()));
  }

  @Test
  void largeBlobsGoInChunksAndABrokenChunkCostsOnlyItsMissingPart() throws Exception {
    byte[] layer = numbered(350);
    patchHalves.set(1);
    push(registries().uploadChunkSize(100), image(layer));

    // the first chunk's PATCH broke after 50 bytes: the registry said so, and the upload went on from there
    assertEquals(List.of("0-99", "50-149", "150-249", "250-349"), contentRanges.subList(0, 4));
    assertEquals(2, layerOpens.get(), "the chunks read on from one stream, opened again only after the break");
    assertArrayEquals(layer, blobs.get(Digest.sha256(layer).toString()));
  }

  @Test
  void chunksAreAtLeastTheRegistrysMinimum() throws Exception {
    byte[] layer = numbered(350);
    chunkMinLength = "150";
    push(registries().uploadChunkSize(100), image(layer));

    assertEquals(List.of("0-149", "150-299", "300-349"), contentRanges.subList(0, 3));
    assertArrayEquals(layer, blobs.get(Digest.sha256(layer).toString()));
  }

  @Test
  void aLaterRunContinuesTheUploadAnEarlierOneLeft(@TempDir Path cache) throws Exception {
    byte[] layer = numbered(350);
    UploadSessions sessionsFile = UploadSessions.file(cache.resolve("upload-sessions.json"));
    patchesBeforeDown.set(2); // the way to the registry breaks after the layer's second chunk
    Registries first = registries().uploadChunkSize(100).rememberingUploadSessions(sessionsFile);
    assertThrows(RegistryException.class, () -> push(first, image(layer)));
    assertTrue(sessionsFile.find(registry(), "app", Digest.sha256(layer)).isPresent(), "the session is remembered");

    writesDown = false;
    contentRanges.clear();
    push(registries().uploadChunkSize(100).rememberingUploadSessions(sessionsFile), image(layer));

    assertEquals(List.of("200-299", "300-349"), contentRanges.subList(0, 2), "the second run sends what was missing");
    assertArrayEquals(layer, blobs.get(Digest.sha256(layer).toString()));
    assertTrue(sessionsFile.find(registry(), "app", Digest.sha256(layer)).isEmpty(), "a finished upload is forgotten");
  }
}
