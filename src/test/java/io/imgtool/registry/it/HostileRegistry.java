package io.imgtool.registry.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A registry that misbehaves on purpose, one misbehaviour per repository name, for what a real
 * registry never does on demand: answers that stall (before the headers, in the middle of a body
 * whose Content-Length promises more), trickle, never end, or are huge; links and redirects in
 * loops; digests that lie. Every repository serves a small image of its own (tag {@code 1}), and
 * {@link #GOOD} serves it faithfully. Anonymous pulls get a Bearer token from {@code /token}, whose
 * answer misbehaves for the repositories named {@code *-token}.
 */
public final class HostileRegistry implements AutoCloseable {
  /** The repository that behaves: a pull from it must work. */
  public static final String GOOD = "good";
  private static final String TOKEN = "hostile-token";
  private static final long GIB = 1L << 30;

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "hostile-registry");
    thread.setDaemon(true);
    return thread;
  });
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<String, Image> images = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> bytesSent = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  public HostileRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", exchange -> {
      try (exchange) {
        handle(exchange);
      } catch (IOException e) {
        // the client hung up, as it should on an answer it refuses
      }
    });
    server.start();
  }

  /** {@code 127.0.0.1:PORT}, as image names write it. */
  public String registry() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The image a repository serves: its own, so that no blob of it is in a store that pulled another. */
  public Image image(String repository) {
    return images.computeIfAbsent(repository, r -> {
      try {
        return TestImages.build(Format.OCI, "amd64", r.hashCode(), 1, 4096);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Body bytes written for a repository's answers, as far as the client took them. */
  public long bytesSent(String repository) {
    return bytesSent.computeIfAbsent(repository, r -> new AtomicLong()).get();
  }

  /** Requests for a repository (manifests, blobs, tags, tokens). */
  public int requests(String repository) {
    return requests.computeIfAbsent(repository, r -> new AtomicInteger()).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/token")) {
      token(exchange, scopeRepository(exchange.getRequestURI().getRawQuery()));
      return;
    }
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().add("WWW-Authenticate",
          "Bearer realm=\"http://" + registry() + "/token\",service=\"hostile\"");
      send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"token needed\"}]}");
      return;
    }
    if (path.equals("/v2/")) {
      send(exchange, 200, "{}");
    } else if (path.equals("/v2/_catalog")) {
      exchange.getResponseHeaders().add("Link", "</v2/_catalog?n=1>; rel=\"next\"");
      send(exchange, 200, "{\"repositories\":[\"" + GOOD + "\"]}");
    } else {
      String rest = path.substring("/v2/".length());
      int slash = rest.indexOf('/');
      String repository = rest.substring(0, slash);
      requests.computeIfAbsent(repository, r -> new AtomicInteger()).incrementAndGet();
      String what = rest.substring(slash + 1);
      if (what.startsWith("blobs/uploads/") || (what.startsWith("blobs/") && repository.endsWith("-upload"))) {
        upload(exchange, repository, what);
      } else if (what.startsWith("manifests/")) {
        manifest(exchange, repository);
      } else if (what.startsWith("blobs/")) {
        blob(exchange, repository, Digest.parse(what.substring("blobs/".length())));
      } else if (what.equals("tags/list")) {
        tags(exchange, repository);
      } else {
        send(exchange, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"no such thing\"}]}");
      }
    }
  }

  private void token(HttpExchange exchange, String repository) throws IOException {
    requests.computeIfAbsent(repository, r -> new AtomicInteger()).incrementAndGet();
    switch (repository) {
      case "stall-token" -> stallBeforeHeaders();
      case "endless-token" -> endless(exchange, repository, "{\"token\":\"");
      default -> send(exchange, 200, "{\"token\":\"" + TOKEN + "\",\"expires_in\":300}");
    }
  }

  private void manifest(HttpExchange exchange, String repository) throws IOException {
    byte[] manifest = image(repository).manifest().bytes();
    exchange.getResponseHeaders().add("Content-Type", MediaType.OCI_MANIFEST);
    exchange.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(manifest).toString());
    boolean head = exchange.getRequestMethod().equals("HEAD");
    switch (head ? GOOD : repository) {
      case "stall-headers" -> stallBeforeHeaders();
      case "stall-manifest" -> stallAfter(exchange, manifest, 100);
      case "trickle-manifest" -> trickle(exchange, repository, 200);
      case "endless-manifest" -> endless(exchange, repository, "{\"schemaVersion\":2,\"x\":\"");
      case "huge-manifest" -> huge(exchange, repository, 100L << 20);
      case "wrong-digest" -> send(exchange, 200, Arrays.copyOf(manifest, manifest.length + 1));
      case "redirect-loop" -> {
        exchange.getResponseHeaders().add("Location", exchange.getRequestURI().getPath());
        send(exchange, 307, new byte[0]);
      }
      default -> send(exchange, 200, manifest, head);
    }
  }

  private void blob(HttpExchange exchange, String repository, Digest digest) throws IOException {
    Image image = image(repository);
    boolean config = digest.equals(image.config().digest());
    Descriptor layer = image.layers().get(0);
    byte[] bytes;
    try (InputStream in = config ? new java.io.ByteArrayInputStream(image.config().bytes()) : image.blobs().open(layer)) {
      bytes = in.readAllBytes();
    }
    String misbehaviour = repository + (config ? "/config" : "/layer");
    switch (misbehaviour) {
      case "stall-blob/layer" -> stallAfter(exchange, bytes, GIB);
      case "stall-blob-headers/layer" -> stallBeforeHeaders();
      case "endless-config/config" -> endless(exchange, repository, "{\"architecture\":\"");
      case "trickle-config/config" -> trickle(exchange, repository, 200);
      case "trickle-error/layer" -> trickle(exchange, repository, 404);
      case "wrong-blob/layer" -> {
        bytes[bytes.length / 2] ^= 1;
        send(exchange, 200, bytes);
      }
      default -> send(exchange, 200, bytes);
    }
  }

  /**
   * The upload side, for the repositories named {@code *-upload}: it holds no blob, opens a
   * session, and then, per repository, never answers the PATCH that brought the blob
   * ({@code stall-upload}) or says it stored the blob under another digest ({@code wrong-digest-upload}).
   */
  private void upload(HttpExchange exchange, String repository, String what) throws IOException {
    String method = exchange.getRequestMethod();
    if (method.equals("HEAD")) {
      send(exchange, 404, new byte[0]);
    } else if (method.equals("POST")) {
      exchange.getResponseHeaders().add("Location", "/v2/" + repository + "/blobs/uploads/1");
      send(exchange, 202, new byte[0]);
    } else if (method.equals("PATCH")) {
      exchange.getRequestBody().readAllBytes();
      if (repository.equals("stall-upload")) {
        awaitClose();
        return;
      }
      exchange.getResponseHeaders().add("Location", "/v2/" + repository + "/blobs/uploads/1");
      send(exchange, 202, new byte[0]);
    } else if (method.equals("PUT")) {
      exchange.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(new byte[] {1}).toString());
      send(exchange, 201, new byte[0]);
    } else {
      send(exchange, 204, new byte[0]);
    }
  }

  private void tags(HttpExchange exchange, String repository) throws IOException {
    if (repository.equals("self-link")) {
      exchange.getResponseHeaders().add("Link", "</v2/self-link/tags/list?n=1>; rel=\"next\"");
    } else if (repository.equals("endless-pages")) {
      String query = exchange.getRequestURI().getRawQuery();
      int page = query == null || !query.contains("last=") ? 0 : Integer.parseInt(query.replaceAll(".*last=t", ""));
      exchange.getResponseHeaders().add("Link", "</v2/endless-pages/tags/list?n=1&last=t" + (page + 1) + ">; rel=\"next\"");
    }
    send(exchange, 200, "{\"name\":\"" + repository + "\",\"tags\":[\"1\"]}");
  }

  /** Never answers: no status line, no headers, the connection held open until the server stops. */
  private void stallBeforeHeaders() {
    awaitClose();
  }

  /** Promises {@code more} bytes than the body, sends the body, and holds the connection open. */
  private void stallAfter(HttpExchange exchange, byte[] body, long more) throws IOException {
    exchange.sendResponseHeaders(200, body.length + more);
    OutputStream out = exchange.getResponseBody();
    out.write(body);
    out.flush();
    awaitClose();
  }

  /** One byte every 100 ms, for ever: never idle long, never done. */
  private void trickle(HttpExchange exchange, String repository, int status) throws IOException {
    exchange.sendResponseHeaders(status, 0);
    OutputStream out = exchange.getResponseBody();
    while (!sleep(100)) {
      out.write(' ');
      out.flush();
      bytesSent.computeIfAbsent(repository, r -> new AtomicLong()).incrementAndGet();
    }
  }

  /** A chunked body that never ends, written as fast as the client takes it. */
  private void endless(HttpExchange exchange, String repository, String start) throws IOException {
    exchange.sendResponseHeaders(200, 0);
    writeForever(exchange.getResponseBody(), repository, start, Long.MAX_VALUE);
  }

  /** A body that declares, and sends, {@code length} bytes. */
  private void huge(HttpExchange exchange, String repository, long length) throws IOException {
    exchange.sendResponseHeaders(200, length);
    writeForever(exchange.getResponseBody(), repository, "", length);
  }

  private void writeForever(OutputStream out, String repository, String start, long length) throws IOException {
    AtomicLong sent = bytesSent.computeIfAbsent(repository, r -> new AtomicLong());
    out.write(start.getBytes(StandardCharsets.UTF_8));
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'a');
    for (long left = length - start.length(); left > 0 && closed.getCount() > 0; left -= chunk.length) {
      int n = (int) Math.min(chunk.length, left);
      out.write(chunk, 0, n);
      sent.addAndGet(n);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    send(exchange, status, body, false);
  }

  /** A whole answer; to HEAD, only the length a GET would have. */
  private static void send(HttpExchange exchange, int status, byte[] body, boolean head) throws IOException {
    if (head) {
      exchange.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
  }

  private static String scopeRepository(String query) {
    for (String parameter : query == null ? new String[0] : query.split("&")) {
      String value = URLDecoder.decode(parameter.substring(parameter.indexOf('=') + 1), StandardCharsets.UTF_8);
      if (parameter.startsWith("scope=") && value.startsWith("repository:")) {
        return value.split(":")[1];
      }
    }
    return "";
  }

  private void awaitClose() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sleeps; true when the server is closing meanwhile. */
  private boolean sleep(long millis) {
    try {
      return closed.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

}
