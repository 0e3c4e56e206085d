package io.imgtool.registry.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on loopback in front of a real registry that fails a share of the writes (POST,
 * PATCH, PUT) the way a flaky network or a busy registry does: 503 and 429 with Retry-After
 * before the registry saw the request, or the connection dropped after the registry acted on it
 * and before its answer, so that the client cannot tell what happened. Which request fails how
 * follows from the seed: the n-th request of each method gets the same fate in every run (which
 * blob's request is the n-th depends on how the parallel uploads interleave).
 *
 * <p>It can also break for good at a PATCH, as a network that goes away does, for tests of a push
 * that a later run continues.
 */
final class FaultProxy implements AutoCloseable {
  enum Fault { UNAVAILABLE, THROTTLED, DROPPED_AFTER_FORWARDING }

  /** How the way to the registry breaks at a chunk: what becomes of the PATCH that meets the break. */
  enum Cut {
    /** Dropped before the registry sees it. */
    BEFORE_REGISTRY,
    /** Dropped after the registry took its bytes, before its answer. */
    AFTER_REGISTRY,
    /** Held, unanswered and not forwarded, until {@link #repair}: for a test that kills the client then. */
    HELD
  }

  private static final Set<String> WRITES = Set.of("POST", "PATCH", "PUT");
  /** Headers java.net.http sets itself or refuses to be given. */
  private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
      "transfer-encoding", "keep-alive", "date");

  private final HttpServer server;
  private final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String target;
  private final long seed;
  private final double rate;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<Fault, AtomicInteger> faults = new ConcurrentHashMap<>();
  private final Map<String, List<Fault>> fates = new ConcurrentHashMap<>();
  private final Map<String, SplittableRandom> generators = new ConcurrentHashMap<>();
  private volatile long breakAtOffset = -1;
  private volatile Cut cut;
  private volatile boolean broken;
  private final CountDownLatch reachedBreak = new CountDownLatch(1);
  private final CountDownLatch repaired = new CountDownLatch(1);

  /**
   * Fails {@code rate} of the writes to the registry at 127.0.0.1:{@code targetPort} (or a
   * {@link CountingRelay} in front of it), as {@code seed} decides.
   */
  FaultProxy(int targetPort, long seed, double rate) throws IOException {
    this.target = "127.0.0.1:" + targetPort;
    this.seed = seed;
    this.rate = rate;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "fault-proxy");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
  }

  /** {@code 127.0.0.1:PORT}, to use as the registry's name. */
  String registry() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * From the first chunk PATCH at {@code offset} or beyond ({@code Content-Range}) on, every
   * request is dropped, and that PATCH meets {@code cut}.
   */
  void breakAtOffset(long offset, Cut cut) {
    this.cut = cut;
    breakAtOffset = offset;
  }

  /** Waits until a PATCH has met the break. */
  boolean awaitBreak(Duration timeout) throws InterruptedException {
    return reachedBreak.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Back to forwarding everything (the faults by rate go on); a held PATCH is dropped. */
  void repair() {
    breakAtOffset = -1;
    broken = false;
    repaired.countDown();
  }

  int faults(Fault fault) {
    return faults.computeIfAbsent(fault, f -> new AtomicInteger()).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      byte[] body = exchange.getRequestBody().readAllBytes();
      int n = counts.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
      if (broken) {
        return; // closed without an answer
      }
      String range = exchange.getRequestHeaders().getFirst("Content-Range");
      boolean breaking = method.equals("PATCH") && breakAtOffset >= 0 && range != null
          && Long.parseLong(range.substring(0, range.indexOf('-'))) >= breakAtOffset;
      if (breaking) {
        broken = true;
        reachedBreak.countDown();
        if (cut == Cut.AFTER_REGISTRY) {
          forward(exchange, method, body);
        } else if (cut == Cut.HELD) {
          repaired.await();
        }
        return;
      }
      Fault fault = WRITES.contains(method) ? fate(method, n) : null;
      if (fault == Fault.UNAVAILABLE) {
        count(fault);
        reply(exchange, 503, Map.of(), "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected\"}]}");
        return;
      }
      if (fault == Fault.THROTTLED) {
        count(fault);
        reply(exchange, 429, Map.of("Retry-After", List.of("1")),
            "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"injected\"}]}");
        return;
      }
      HttpResponse<byte[]> response = forward(exchange, method, body);
      if (fault == Fault.DROPPED_AFTER_FORWARDING) {
        count(fault);
        return; // the registry acted; its answer is lost with the connection
      }
      relay(exchange, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The fate of the {@code n}-th request of {@code method}, null for none: the n-th draw of a
   * sequence of the seed's and the method's own (java.util.Random seeded with neighbouring numbers
   * starts almost alike, so it must not be seeded per request).
   */
  private Fault fate(String method, int n) {
    List<Fault> fates = this.fates.computeIfAbsent(method, m -> new ArrayList<>());
    synchronized (fates) {
      SplittableRandom random = generators.computeIfAbsent(method, m -> new SplittableRandom(seed * 31 + m.hashCode()));
      while (fates.size() < n) {
        boolean fails = random.nextDouble() < rate;
        Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
        fates.add(fails ? fault : null);
      }
      return fates.get(n - 1);
    }
  }

  private void count(Fault fault) {
    faults.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, String method, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + target + exchange.getRequestURI()))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        values.forEach(value -> request.header(name, value));
      }
    });
    return upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The registry's answer, with its Location pointing back here. */
  private void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
    response.headers().map().forEach((name, values) -> {
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (lower.equals("location")) {
        values.forEach(v -> exchange.getResponseHeaders().add(name, v.replace(target, registry())));
      } else if (!HOP_BY_HOP.contains(lower) || (lower.equals("content-length")
          && exchange.getRequestMethod().equals("HEAD"))) {
        values.forEach(v -> exchange.getResponseHeaders().add(name, v));
      }
    });
    byte[] body = response.body();
    boolean empty = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : body.length);
    if (!empty) {
      exchange.getResponseBody().write(body);
    }
  }

  private static void reply(HttpExchange exchange, int status, Map<String, List<String>> headers, String json)
      throws IOException {
    headers.forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    repaired.countDown();
    server.stop(0);
  }
}
