package io.imgtool.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * The registry side of one imgtool process: the transport policy, where credentials come from,
 * Docker Hub mirrors, and one {@link RegistryClient} per registry, so each registry's transport
 * decision, HTTP connections and tokens are made once and reused.
 */
public final class Registries implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  /**
   * Blobs larger than this go up in chunks of this size: a failure then costs one chunk, and a
   * later run can continue the upload. Smaller ones go in one request, the fastest way.
   */
  public static final long DEFAULT_UPLOAD_CHUNK_SIZE = 64L << 20;

  private final TransportPolicy policy;
  private final CredentialProvider credentials;
  private final List<String> mirrors;
  private final HttpTrace trace;
  private volatile PlainHttpMemory plainHttpMemory = PlainHttpMemory.NONE;
  private volatile BlobLocations blobLocations = BlobLocations.NONE;
  private volatile Timeouts timeouts = Timeouts.defaults();
  private volatile UploadSessions uploadSessions = UploadSessions.NONE;
  private volatile long uploadChunkSize = DEFAULT_UPLOAD_CHUNK_SIZE;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();
  private final Map<String, HttpClient> httpClients = new ConcurrentHashMap<>();
  private final Map<String, Tls> tlsContexts = new ConcurrentHashMap<>();
  private final Map<String, Tls> directTlsContexts = new ConcurrentHashMap<>();

  /**
   * @param mirrors the settings' {@code registry-mirrors} (URLs such as
   *     {@code https://xxxx.mirror.aliyuncs.com}), used for Docker Hub pulls only
   */
  public Registries(TransportPolicy policy, CredentialProvider credentials, List<String> mirrors, HttpTrace trace) {
    this.policy = policy;
    this.credentials = credentials;
    this.mirrors = List.copyOf(mirrors);
    this.trace = trace;
  }

  public Registries(TransportPolicy policy, CredentialProvider credentials) {
    this(policy, credentials, List.of(), HttpTrace.NONE);
  }

  /** Where insecure registries that answered in plain HTTP are remembered across processes. */
  public Registries rememberingPlainHttp(PlainHttpMemory memory) {
    this.plainHttpMemory = memory;
    return this;
  }

  /** Where the repositories that received blobs are remembered, for later mounts. */
  public Registries rememberingBlobLocations(BlobLocations locations) {
    this.blobLocations = locations;
    return this;
  }

  /** How long to wait for a registry that has gone silent or answers too slowly (the settings'). */
  public Registries withTimeouts(Timeouts newTimeouts) {
    this.timeouts = newTimeouts;
    return this;
  }

  Timeouts timeouts() {
    return timeouts;
  }

  BlobLocations blobLocations() {
    return blobLocations;
  }

  /** Where unfinished chunked uploads are remembered, for a later run to continue them. */
  public Registries rememberingUploadSessions(UploadSessions sessions) {
    this.uploadSessions = sessions;
    return this;
  }

  UploadSessions uploadSessions() {
    return uploadSessions;
  }

  /** The size above which blobs are uploaded in chunks, and of the chunks. */
  public Registries uploadChunkSize(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("the upload chunk size must be positive");
    }
    this.uploadChunkSize = bytes;
    return this;
  }

  long uploadChunkSize() {
    return uploadChunkSize;
  }

  boolean isInsecureLoopback(String registry) {
    return policy.isInsecureLoopback(registry);
  }

  PlainHttpMemory plainHttpMemory() {
    return plainHttpMemory;
  }

  /** The client for a registry as written in image names ({@code docker.io}, {@code host:5000}). */
  public RegistryClient client(String registry) {
    String name = TransportPolicy.normalise(registry);
    return clients.computeIfAbsent(name, n -> new RegistryClient(this, n, credentials));
  }

  /** A client for the same registry that answers with the given credential (login verification). */
  public RegistryClient clientWith(String registry, Credential credential) {
    return new RegistryClient(this, TransportPolicy.normalise(registry), CredentialProvider.of(credential));
  }

  /** The registries to try, in order, for a pull from the given registry: mirrors first for Docker Hub. */
  List<String> pullEndpoints(String registry) {
    if (!registry.equals(io.imgtool.name.ImageReference.DOCKER_HUB)) {
      return List.of(registry);
    }
    List<String> result = new java.util.ArrayList<>();
    mirrors.forEach(m -> result.add(TransportPolicy.normalise(m)));
    result.add(registry);
    return result;
  }

  /** A mirror given as http://... is reachable only in plain HTTP, which makes it insecure. */
  boolean isInsecure(String registry) {
    return isPlainHttpMirror(registry) || policy.isInsecure(registry);
  }

  /** Registries to reach over plain HTTP without trying HTTPS first. */
  boolean isPlainHttpOnly(String registry) {
    return isPlainHttpMirror(registry) || policy.isPlainHttpOnly(registry);
  }

  private boolean isPlainHttpMirror(String registry) {
    for (String mirror : mirrors) {
      if (mirror.strip().toLowerCase(java.util.Locale.ROOT).startsWith("http://")
          && TransportPolicy.normalise(mirror).equals(registry)) {
        return true;
      }
    }
    return false;
  }

  TransportPolicy policy() {
    return policy;
  }

  HttpTrace trace() {
    return trace;
  }

  /** One HTTP client per registry and scheme; java.net.http pools its connections. */
  HttpClient httpClient(String registry, Scheme scheme) {
    return httpClients.computeIfAbsent(registry + " " + scheme, key -> {
      HttpClient.Builder builder = HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER) // followed by hand, to drop Authorization off-host
          .connectTimeout(CONNECT_TIMEOUT);
      switch (scheme) {
        // HTTP/1.1 over TLS too: HTTP/2's 16 KiB frames and flow control cost a TLS push of 86 MiB
        // 0.7 CPU-seconds more (3.6 against 2.9), for 0.1 saved on a push of blobs already there.
        case HTTPS_VERIFIED, HTTPS_UNVERIFIED -> builder.sslContext(tls(registry, scheme).context())
            .version(HttpClient.Version.HTTP_1_1);
        case HTTP -> builder.sslContext(NoTls.context()).sslParameters(NoTls.parameters())
            .version(HttpClient.Version.HTTP_1_1); // no h2c upgrade
      }
      return builder.build();
    });
  }

  /** A TLS context, and whether it verifies the server (certificate and host name). */
  record Tls(SSLContext context, boolean verified) {}

  /** The TLS context of a registry's HTTP client, one per registry and scheme. */
  Tls tls(String registry, Scheme scheme) {
    return tlsContexts.computeIfAbsent(registry + " " + scheme, key -> newTls(registry, scheme));
  }

  /**
   * The TLS context of a registry's direct blob transfers ({@code DirectConnection}): another
   * than its HTTP client's, made the same way, so that neither resumes the other's sessions.
   * BoringSSL refuses to resume a session its engine made in a socket
   * (ATTEMPT_TO_REUSE_SESSION_IN_DIFFERENT_CONTEXT), and a server that offers resumption, as a
   * Java one does, then fails the handshake.
   */
  Tls directTls(String registry, Scheme scheme) {
    return directTlsContexts.computeIfAbsent(registry + " " + scheme, key -> newTls(registry, scheme));
  }

  /** The TLS context of direct transfers to a host outside a registry's own API (a blob redirect target). */
  Tls directTlsFor(String authority) {
    return directTls(authority, isInsecure(authority) ? Scheme.HTTPS_UNVERIFIED : Scheme.HTTPS_VERIFIED);
  }

  private Tls newTls(String registry, Scheme scheme) {
    return switch (scheme) {
      case HTTPS_VERIFIED -> new Tls(policy.verifiedContext(registry), true);
      case HTTPS_UNVERIFIED -> new Tls(UnverifiedTls.context(), false);
      case HTTP -> throw new IllegalArgumentException("plain HTTP has no TLS context");
    };
  }

  /** The client for a URI outside a registry's own API (token realm, blob redirect target). */
  HttpClient httpClientFor(URI uri) {
    String authority = uri.getRawAuthority();
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      return httpClient(authority, Scheme.HTTP);
    }
    return httpClient(authority, isInsecure(authority) ? Scheme.HTTPS_UNVERIFIED : Scheme.HTTPS_VERIFIED);
  }

  /** Stops the HTTP clients' selector threads, so the process can end at once. */
  @Override
  public void close() {
    httpClients.values().forEach(HttpClientShutdown::stop);
    httpClients.clear();
    clients.clear();
  }
}
