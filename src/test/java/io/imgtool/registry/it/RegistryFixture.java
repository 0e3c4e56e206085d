package io.imgtool.registry.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;

/**
 * A real Docker Distribution registry ({@code /usr/bin/docker-registry}, Debian package
 * docker-registry) on a free loopback port with its storage in a temporary directory, in one of
 * three setups: no auth over plain HTTP; htpasswd (bcrypt) behind a self-signed TLS certificate;
 * token auth with a {@link TokenServer}. Reusable by any integration test: start, use
 * {@link #registry()} in image names, close.
 */
public final class RegistryFixture implements AutoCloseable {
  public static final String BINARY = "/usr/bin/docker-registry";
  public static final String USER = "alice";
  public static final String PASSWORD = "alice-secret-pw";
  public static final String OTHER_USER = "bob";
  public static final String OTHER_PASSWORD = "bob-secret-pw";

  private final Path dir;
  private final int port;
  private final boolean tls;
  private final Process process;
  private final TokenServer tokenServer;
  private HttpClient http;

  private RegistryFixture(Path dir, int port, boolean tls, Process process, TokenServer tokenServer) {
    this.dir = dir;
    this.port = port;
    this.tls = tls;
    this.process = process;
    this.tokenServer = tokenServer;
  }

  public static boolean isAvailable() {
    return Files.isExecutable(Path.of(BINARY));
  }

  /** No authentication, plain HTTP. */
  public static RegistryFixture plain(Path dir) throws Exception {
    return start(dir, false, "", null);
  }

  /** htpasswd users {@link #USER} and {@link #OTHER_USER}, TLS with a self-signed certificate for 127.0.0.1. */
  public static RegistryFixture htpasswdTls(Path dir) throws Exception {
    Files.createDirectories(dir);
    selfSignedCertificate(dir);
    Path htpasswd = dir.resolve("htpasswd");
    Files.writeString(htpasswd, bcryptLine(USER, PASSWORD) + "\n" + bcryptLine(OTHER_USER, OTHER_PASSWORD) + "\n");
    String auth = "auth:\n  htpasswd:\n    realm: imgtool-test\n    path: " + htpasswd + "\n";
    return start(dir, true, auth, null);
  }

  /** Token auth (plain HTTP registry) with a token server that grants push in the user's own namespace only. */
  public static RegistryFixture token(Path dir) throws Exception {
    Files.createDirectories(dir);
    selfSignedCertificate(dir);
    TokenServer server = new TokenServer(Map.of(USER, PASSWORD, OTHER_USER, OTHER_PASSWORD),
        dir.resolve("key.pem"), dir.resolve("cert.pem"));
    String auth = "auth:\n  token:\n    realm: " + server.realm() + "\n    service: " + TokenServer.SERVICE
        + "\n    issuer: " + TokenServer.ISSUER + "\n    rootcertbundle: " + dir.resolve("cert.pem") + "\n";
    try {
      return start(dir, false, auth, server);
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }

  /**
   * No authentication, plain HTTP, and schema-1 manifests accepted ({@code compatibility: schema1:
   * enabled: true}), as registries that still serve old images are set up. Then docker-registry
   * 2.8.2 takes a schema-1 push, and serves schema 1 re-signed on every GET: the body differs from
   * one GET to the next (a fresh signature), its Docker-Content-Digest does not (it is the digest
   * of the payload without signatures). It also converts a Docker v2 manifest to schema 1 for a
   * client whose Accept header does not name v2, pretty-printed with 3 spaces.
   */
  public static RegistryFixture schema1(Path dir) throws Exception {
    return start(dir, false, "compatibility:\n  schema1:\n    enabled: true\n", null);
  }

  /** host:port as written in image names. */
  public String registry() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public URI baseUri() {
    return URI.create((tls ? "https" : "http") + "://" + registry());
  }

  /** The self-signed certificate (PEM) of the TLS and token setups. */
  public Path certificate() {
    return dir.resolve("cert.pem");
  }

  /**
   * The upload sessions a repository holds open in the registry's storage: each one is a POST to
   * {@code /blobs/uploads/} (or a mount that fell back to one) that was never completed.
   */
  public List<String> uploadSessions(String repository) throws java.io.IOException {
    Path uploads = dir.resolve("storage/docker/registry/v2/repositories").resolve(repository).resolve("_uploads");
    if (!Files.isDirectory(uploads)) {
      return List.of();
    }
    try (var sessions = Files.list(uploads)) {
      return sessions.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  public TokenServer tokenServer() {
    return tokenServer;
  }

  // ---- the registry API by hand, for tests that need exact bytes in the registry (no auth)

  /** A manifest as the registry served it: the exact body, its Docker-Content-Digest, its Content-Type. */
  public record RawManifest(byte[] bytes, String digest, String mediaType) {}

  /** Every manifest type a current client accepts, schema 1 last (as docker and containerd send them). */
  public static final List<String> ACCEPT_ALL = List.of(
      "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.v1+prettyjws");

  /** Uploads {@code bytes} as one blob (POST, then one PUT with the digest); returns its digest. */
  public String putBlob(String repository, byte[] bytes) throws Exception {
    String digest = sha256(bytes);
    HttpResponse<byte[]> started = send(HttpRequest.newBuilder(v2(repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), 202);
    URI location = v2("").resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = location.getRawQuery() == null ? "?" : "&";
    send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), 201);
    return digest;
  }

  /** PUTs {@code bytes} as the manifest {@code reference} (tag or digest); returns the registry's Docker-Content-Digest. */
  public String putManifest(String repository, String reference, byte[] bytes, String mediaType) throws Exception {
    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(v2(repository + "/manifests/" + reference))
        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), 201);
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  /** The bytes the registry serves for a blob (no auth), as they are, unverified. */
  public byte[] getBlob(String repository, String digest) throws Exception {
    return send(HttpRequest.newBuilder(v2(repository + "/blobs/" + digest)).GET().build(), 200).body();
  }

  /** GETs a manifest accepting {@link #ACCEPT_ALL}. */
  public RawManifest getManifest(String repository, String reference) throws Exception {
    return getManifest(repository, reference, ACCEPT_ALL);
  }

  /** GETs a manifest with exactly these Accept types (empty: no Accept header, as an old client). */
  public RawManifest getManifest(String repository, String reference, List<String> accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(v2(repository + "/manifests/" + reference)).GET();
    if (!accept.isEmpty()) {
      request.header("Accept", String.join(", ", accept));
    }
    HttpResponse<byte[]> response = send(request.build(), 200);
    return new RawManifest(response.body(), response.headers().firstValue("Docker-Content-Digest").orElse(null),
        response.headers().firstValue("Content-Type").orElse(null));
  }

  private URI v2(String path) {
    return baseUri().resolve("/v2/" + path);
  }

  private HttpResponse<byte[]> send(HttpRequest request, int expected) throws Exception {
    HttpResponse<byte[]> response = http().send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(request.method() + " " + request.uri() + ": " + response.statusCode() + " "
          + new String(response.body(), StandardCharsets.UTF_8));
    }
    return response;
  }

  private synchronized HttpClient http() throws Exception {
    if (http == null) {
      http = HttpClient.newBuilder().sslContext(TestTls.trustAll()).build();
    }
    return http;
  }

  public static String sha256(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static RegistryFixture start(Path dir, boolean tls, String auth, TokenServer tokenServer)
      throws Exception {
    int port = freePort();
    String tlsSection = tls
        ? "  tls:\n    certificate: " + dir.resolve("cert.pem") + "\n    key: " + dir.resolve("key.pem") + "\n"
        : "";
    Path configFile = writeConfig(dir, "127.0.0.1:" + port, tlsSection + auth);
    Path log = dir.resolve("registry.log");
    Process process = new ProcessBuilder(BINARY, "serve", configFile.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RegistryFixture fixture = new RegistryFixture(dir, port, tls, process, tokenServer);
    try {
      awaitReady(process, fixture.baseUri(), log);
    } catch (Exception e) {
      fixture.close();
      throw e;
    }
    return fixture;
  }

  /**
   * Writes {@code dir/config.yml} for a registry listening on {@code addr} (host:port) with its
   * storage in {@code dir/storage}; {@code httpExtra} is YAML indented under {@code http:} (TLS)
   * followed by top-level sections (auth).
   */
  static Path writeConfig(Path dir, String addr, String httpExtra) throws IOException {
    Files.createDirectories(dir.resolve("storage"));
    String config = "version: 0.1\n"
        + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
        + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage") + "\n  delete:\n    enabled: true\n"
        + "http:\n  addr: " + addr + "\n  secret: imgtool-fixture-secret\n"
        + httpExtra;
    Path configFile = dir.resolve("config.yml");
    Files.writeString(configFile, config);
    return configFile;
  }

  /** Waits until {@code base/v2/} answers at all (any status), or the process dies, or 20 s pass. */
  static void awaitReady(Process process, URI base, Path log) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) base.resolve("/v2/").toURL().openConnection();
        if (connection instanceof HttpsURLConnection https) {
          https.setSSLSocketFactory(TestTls.trustAll().getSocketFactory());
          https.setHostnameVerifier((h, s) -> true);
        }
        connection.setConnectTimeout(500);
        connection.getResponseCode();
        connection.disconnect();
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("docker-registry did not start: " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** key.pem (PKCS#8) and cert.pem for 127.0.0.1 and localhost, made by openssl. */
  static void selfSignedCertificate(Path dir) throws Exception {
    run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
  }

  /** A bcrypt htpasswd line: htpasswd -B when installed (apache2-utils), else Python's crypt. */
  static String bcryptLine(String user, String password) throws Exception {
    if (Files.isExecutable(Path.of("/usr/bin/htpasswd"))) {
      return run(null, List.of("htpasswd", "-nbB", user, password)).strip();
    }
    String hash = run(null, List.of("python3", "-W", "ignore", "-c",
        "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))", password)).strip();
    return user + ":" + hash;
  }

  static String run(Path dir, List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    if (tokenServer != null) {
      tokenServer.close();
    }
  }
}
