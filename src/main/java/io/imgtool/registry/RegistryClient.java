package io.imgtool.registry;

import io.imgtool.name.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * The client for one registry: it decides the transport once (see {@link TransportPolicy}),
 * answers the registry's challenge, follows redirects (sending Authorization only to the
 * registry itself) and gives access to catalog and repositories.
 */
public final class RegistryClient {
  private static final int MAX_REDIRECTS = 10;
  private static final String DOCKER_HUB_API = "registry-1.docker.io";
  private static final Duration INSECURE_PROBE_TIMEOUT = Duration.ofSeconds(10);

  private final Registries registries;
  private final String registry;
  private final Authenticator authenticator;
  private volatile Scheme scheme;
  private volatile URI base;

  RegistryClient(Registries registries, String registry, CredentialProvider credentials) {
    this.registries = registries;
    this.registry = registry;
    this.authenticator = new Authenticator(registries, registry, credentials);
  }

  /** The registry as written in image names. */
  public String registry() {
    return registry;
  }

  /** A repository of this registry, accessed with exactly the given scopes. */
  public RemoteRepository repository(String name, Collection<Scope> scopes) {
    return new RemoteRepository(this, name, List.copyOf(scopes));
  }

  /** For reading: pull scope only. */
  public RemoteRepository repositoryForPull(String name) {
    return repository(name, List.of(Scope.pull(name)));
  }

  /**
   * Checks that the registry accepts this client's credential, as {@code docker login} does:
   * Basic on /v2/, or a token from the realm. Throws a RegistryException when it does not.
   */
  public void verifyCredentials() throws IOException {
    ensureTransport();
    if (!authenticator.hasCredential()) {
      throw new IllegalStateException("no credential to verify for " + registry);
    }
    try (Response response = send(Request.of("GET", uri("")), List.of())) {
      if (response.status() == 401) {
        throw rejectedLogin(401);
      }
    } catch (RegistryException e) {
      if (e.hasCode("UNAUTHORIZED") && (e.status() == 401 || e.status() == 403)) {
        throw rejectedLogin(e.status()); // from the token service, which speaks of saved credentials
      }
      throw e;
    }
  }

  private RegistryException rejectedLogin(int status) {
    return new RegistryException("login to " + registry + " failed: the registry rejected the user name"
        + " or password (HTTP " + status + ")", status, List.of("UNAUTHORIZED"), false);
  }

  /** The repositories of the registry, every page of {@code /v2/_catalog}. */
  public List<String> catalog(int pageSize) throws IOException {
    String query = pageSize > 0 ? "?n=" + pageSize : "";
    return Pages.collect(this, uri("_catalog" + query), List.of(Scope.catalog()), "repositories",
        "listing the repositories of " + registry);
  }

  /** Whether the transport was decided to be plain HTTP, for messages and tests. */
  boolean isPlainHttp() {
    return scheme == Scheme.HTTP;
  }

  URI uri(String pathUnderV2) throws IOException {
    ensureTransport();
    return URI.create(base + pathUnderV2);
  }

  /** Sends with authorization for the scopes, renewing it once on 401. */
  Response send(Request request, Collection<Scope> scopes) throws IOException {
    ensureTransport();
    Response response = exchange(request, authenticator.authorization(scopes));
    if (response.status() == 401) {
      List<String> challenges = response.headers("WWW-Authenticate");
      response.close();
      authenticator.renew(scopes, Challenge.choose(challenges));
      response = exchange(request, authenticator.authorization(scopes));
      if (response.status() == 401 && authenticator.hasCredential()) {
        if (insufficientScope(response)) {
          response.markDenied();
        } else {
          response.markCredentialsRejected();
        }
      }
    }
    return response;
  }

  private static boolean insufficientScope(Response response) {
    return Challenge.choose(response.headers("WWW-Authenticate"))
        .map(c -> "insufficient_scope".equals(c.param("error"))).orElse(false);
  }

  private Response exchange(Request request, String authorization) throws IOException {
    URI uri = request.uri();
    if (request.file() != null && sameOrigin(uri)) {
      return new Response(sendDirect(request, authorization));
    }
    for (int hop = 0; ; hop++) {
      boolean own = sameOrigin(uri);
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri).method(request.method(), request.body().get());
      request.headers().forEach(builder::header);
      if (authorization != null && own) {
        builder.header("Authorization", authorization);
      }
      // A small answer is bounded as a whole by the read deadline; a blob only by the idle timeout.
      Duration whole = request.timeout() == null ? null : registries.timeouts().read();
      HttpClient client = own ? registries.httpClient(registry, scheme) : registries.httpClientFor(uri);
      Response response = new Response(send(client, builder.build(), own ? authorization : null, whole));
      String location = response.header("Location").orElse(null);
      boolean follow = isRedirect(response.status()) && location != null
          && (request.method().equals("GET") || request.method().equals("HEAD"));
      if (follow && hop >= MAX_REDIRECTS) {
        response.close();
        throw new RegistryException(request.method() + " " + HttpTrace.redact(request.uri()) + " at registry "
            + registry + ": stopped after " + MAX_REDIRECTS + " redirects (the registry, or a proxy in front of"
            + " it, redirects in a loop)", response.status(), List.of(), false);
      }
      if (follow) {
        response.close();
        uri = uri.resolve(location);
        continue;
      }
      return response;
    }
  }

  private HttpResponse<InputStream> send(HttpClient client, HttpRequest request, String authorization,
      Duration whole) throws IOException {
    HttpTrace trace = registries.trace();
    trace.trace("> " + request.method() + " " + HttpTrace.redact(request.uri())
        + " Authorization: " + HttpTrace.redactAuthorization(authorization));
    try {
      HttpResponse<InputStream> response = Exchange.send(client, request, registries.timeouts(), whole);
      trace.trace("< " + response.statusCode() + " " + request.method() + " " + HttpTrace.redact(request.uri()));
      return response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while talking to " + registry);
    }
  }

  /** An upload of a file's bytes on a socket of its own ({@link DirectUpload}); its answer as the client's. */
  private HttpResponse<InputStream> sendDirect(Request request, String authorization) throws IOException {
    HttpTrace trace = registries.trace();
    trace.trace("> " + request.method() + " " + HttpTrace.redact(request.uri())
        + " Authorization: " + HttpTrace.redactAuthorization(authorization));
    HttpResponse<InputStream> response = DirectUpload.send(this, request, authorization);
    trace.trace("< " + response.statusCode() + " " + request.method() + " " + HttpTrace.redact(request.uri()));
    return response;
  }

  /**
   * The body of a blob GET read straight from the socket ({@link DirectBlobGet}), or empty when the
   * registry answered anything but a plain 200: the caller then sends the request the regular way.
   */
  Optional<InputStream> openDirect(URI uri, Collection<Scope> scopes) throws IOException {
    ensureTransport();
    return DirectBlobGet.open(this, uri, authenticator.authorization(scopes));
  }

  Registries registries() {
    return registries;
  }

  /** The TLS context of direct transfers to a URI: this registry's own for its API, else the host's (redirects). */
  Registries.Tls directTlsFor(URI uri) {
    return sameOrigin(uri) ? registries.directTls(registry, scheme) : registries.directTlsFor(uri.getRawAuthority());
  }

  boolean isOwnOrigin(URI uri) {
    return sameOrigin(uri);
  }

  private boolean sameOrigin(URI uri) {
    return uri.getScheme().equalsIgnoreCase(base.getScheme())
        && uri.getRawAuthority().equalsIgnoreCase(base.getRawAuthority());
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * Pings {@code /v2/} once to choose the scheme and learn the challenge. Insecure registries try
   * HTTPS without verification, then plain HTTP; others verified HTTPS only.
   */
  private void ensureTransport() throws IOException {
    if (scheme != null) {
      return;
    }
    synchronized (this) {
      if (scheme != null) {
        return;
      }
      if (registries.isPlainHttpOnly(registry)) {
        try {
          ping(Scheme.HTTP);
        } catch (IOException e) {
          throw new RegistryException("cannot reach registry " + registry + " over HTTP: " + failure(e) + hint(e), e);
        }
      } else if (registries.isInsecure(registry)) {
        if (!pingPlainHttpFirst()) {
          pingInsecure();
        }
      } else {
        try {
          ping(Scheme.HTTPS_VERIFIED);
        } catch (SSLException e) {
          throw tlsFailure(e);
        } catch (IOException e) {
          throw new RegistryException("cannot reach registry " + registry + " over HTTPS: " + failure(e) + hint(e), e);
        }
      }
    }
  }

  /** HTTPS without verification, then plain HTTP (remembered for the next process). */
  private void pingInsecure() throws IOException {
    try {
      ping(Scheme.HTTPS_UNVERIFIED);
    } catch (IOException httpsFailure) {
      try {
        ping(Scheme.HTTP);
      } catch (IOException httpFailure) {
        String https = failure(httpsFailure);
        String http = failure(httpFailure);
        throw new RegistryException("cannot reach registry " + registry
            + (https.equals(http) ? ": " + http : " over HTTPS (" + https + ") or HTTP (" + http + ")")
            + hint(httpFailure), httpFailure);
      }
      registries.plainHttpMemory().remember(registry);
    }
  }

  /**
   * Plain HTTP first, for a registry an earlier process found speaks it, and for one on this
   * machine (the traffic never leaves the host, the usual local registry speaks HTTP, and a TLS
   * handshake attempt is most of a small push's time). Only a registry's real answers (200, 401)
   * count: a TLS server answers plain HTTP with 400, so the usual HTTPS-first probe follows, and
   * a remembered answer that stopped working is forgotten.
   */
  private boolean pingPlainHttpFirst() {
    PlainHttpMemory memory = registries.plainHttpMemory();
    boolean remembered = memory.remembers(registry);
    if (!remembered && !registries.isInsecureLoopback(registry)) {
      return false;
    }
    try {
      ping(Scheme.HTTP, true);
      return true;
    } catch (IOException | RegistryException e) {
      if (remembered) {
        memory.forget(registry);
      }
      return false;
    }
  }

  private void ping(Scheme candidate) throws IOException {
    ping(candidate, false);
  }

  /** Sets the scheme and learns the challenge; {@code strict} accepts only 200 and 401. */
  private void ping(Scheme candidate, boolean strict) throws IOException {
    URI v2 = URI.create(candidate.uriScheme() + "://" + apiAuthority() + "/v2/");
    // A plain-HTTP server may never answer a TLS hello; do not wait long before falling back.
    Duration read = registries.timeouts().read();
    Duration timeout = candidate == Scheme.HTTPS_UNVERIFIED && INSECURE_PROBE_TIMEOUT.compareTo(read) < 0
        ? INSECURE_PROBE_TIMEOUT : read;
    HttpRequest request = HttpRequest.newBuilder(v2).GET().build();
    HttpResponse<InputStream> response = send(registries.httpClient(registry, candidate), request, null, timeout);
    try (Response answer = new Response(response)) {
      answer.errorBytes();
      if (answer.status() >= 500) {
        throw new RegistryException("registry " + registry + " is not available (HTTP " + answer.status() + ")",
            answer.status(), List.of(), true, answer.retryAfter().orElse(null));
      }
      if (strict && answer.status() != 200 && answer.status() != 401) {
        throw new IOException("HTTP " + answer.status() + " is not a registry's answer to /v2/");
      }
      if (answer.status() == 401) {
        authenticator.challenge(Challenge.choose(answer.headers("WWW-Authenticate")).orElse(null));
      }
      base = v2;
      scheme = candidate;
    }
  }

  private RegistryException tlsFailure(SSLException e) {
    if (isCertificateProblem(e)) {
      String files = registries.policy().certsDirectoriesFor(registry).stream()
          .map(dir -> dir.resolve("ca.crt").toString()).collect(Collectors.joining(" or "));
      // Deterministic: retrying only delays the advice (and repeats it once per blob).
      return RegistryException.permanent("cannot verify the TLS certificate of registry " + registry + " ("
          + certificateProblem(e) + "). Put its CA certificate in "
          + (files.isEmpty() ? "certs.d/" + registry + "/ca.crt" : files)
          + ", or, if you trust it, use --insecure or insecure-registries in "
          + registries.policy().settingsFileName(), e);
    }
    if (answersPlainHttp()) {
      return RegistryException.permanent("cannot reach registry " + registry + ": server gave HTTP response to HTTPS"
          + " client. If you trust this registry, use --insecure, or add \"" + registry
          + "\" to insecure-registries in " + registries.policy().settingsFileName(), e);
    }
    return new RegistryException("TLS failed with registry " + registry + ": " + failure(e), e);
  }

  /**
   * The innermost message of a certificate failure ("unable to find valid certification path to
   * requested target", "No subject alternative names matching IP address ..."), without the
   * JDK's exception class names that the outer messages repeat.
   */
  private static String certificateProblem(Throwable e) {
    String message = "certificate not trusted";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage().strip();
      }
    }
    return message;
  }

  private static boolean isCertificateProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertificateException) {
        return true;
      }
    }
    return false;
  }

  /** After a TLS failure: does the port speak plain HTTP? Sends no credentials. */
  private boolean answersPlainHttp() {
    try {
      URI v2 = URI.create("http://" + apiAuthority() + "/v2/");
      HttpRequest request = HttpRequest.newBuilder(v2).GET().build();
      HttpResponse<InputStream> response = Exchange.send(registries.httpClient(registry, Scheme.HTTP), request,
          registries.timeouts(), registries.timeouts().read());
      response.body().close(); // the status is the answer; the body, whatever its length, is not needed
      return response.statusCode() > 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String apiAuthority() {
    if (registry.equals(ImageReference.DOCKER_HUB)) {
      return DOCKER_HUB_API;
    }
    return RegistryHost.parse(registry).authority();
  }

  /**
   * What went wrong on the wire, in words a user can act on rather than an exception name, and
   * without advice (see {@link #hint}): "connection refused", "no such host", "the connection was
   * closed before the answer was complete".
   */
  static String describe(Throwable e) {
    if (e instanceof RegistryException r && r.status() == 0 && !r.isPermanent() && r.getCause() instanceof IOException io) {
      return describe(io); // a step's failure on the wire (see failed): its cause, not the step again
    }
    Throwable named = namedCause(e);
    if (named instanceof java.nio.channels.UnresolvedAddressException || named instanceof java.net.UnknownHostException) {
      return "no such host";
    }
    Throwable cause = innermost(e);
    String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
    if (named instanceof java.net.ConnectException) {
      return "connection refused" + (message.isEmpty() || message.equals("Connection refused") ? "" : " (" + message + ")");
    }
    if (named instanceof java.net.http.HttpTimeoutException || named instanceof java.net.SocketTimeoutException) {
      return "timed out" + (message.isEmpty() ? "" : " (" + message + ")");
    }
    if (cause instanceof javax.net.ssl.SSLException) {
      return "TLS failed: " + (message.isEmpty() ? "handshake error" : message);
    }
    if (isClosed(cause, message)) {
      return "the connection was closed before the exchange was complete (the registry, or a proxy in front of it,"
          + " dropped it)";
    }
    return message.isEmpty() ? "I/O error" : message;
  }

  /**
   * A failure on the wire named with the step it broke ("fetching manifest of host/repo:tag failed:
   * timed out (...)"), as transient as its cause, so retries treat it as they treat the cause.
   */
  static RegistryException failed(String step, IOException e) {
    return new RegistryException(step + " failed: " + describe(e) + hint(e), e);
  }

  /** The advice that goes with a failure, once per message: what to check. */
  static String hint(Throwable e) {
    Throwable named = namedCause(e);
    if (named instanceof java.nio.channels.UnresolvedAddressException || named instanceof java.net.UnknownHostException) {
      return "; check the registry's name";
    }
    if (named instanceof java.net.ConnectException) {
      return "; check the registry's name and port, and that it is running";
    }
    return "";
  }

  /** {@link #describe}, with the host a lookup failed for, as Go says it: "lookup HOST: no such host". */
  private String failure(Throwable e) {
    String described = describe(e);
    return described.equals("no such host") ? "lookup " + RegistryHost.parse(registry).host() + ": no such host"
        : described;
  }

  /** The first cause that names the failure by its type, whatever the messages around it say. */
  private static Throwable namedCause(Throwable e) {
    Throwable connect = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return t; // the JDK wraps it in a message-less ConnectException: the lookup is the cause
      }
      if (connect == null && (t instanceof java.net.ConnectException || t instanceof java.net.http.HttpTimeoutException
          || t instanceof java.net.SocketTimeoutException)) {
        connect = t;
      }
    }
    return connect;
  }

  /**
   * The innermost exception that says something: wrappers without a message of their own, or
   * whose message is their cause's class and message (as the JDK's HttpClient wraps), are skipped.
   */
  static Throwable innermost(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && (cause.getMessage() == null || cause.getMessage().isBlank()
        || cause.getMessage().equals(cause.getCause().toString()))) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static boolean isClosed(Throwable cause, String message) {
    return cause instanceof java.io.EOFException || cause instanceof java.nio.channels.ClosedChannelException
        || message.equals("closed") || message.startsWith("EOF reached") || message.startsWith("Connection reset")
        || message.equals("Broken pipe") || message.startsWith("HTTP/1.1 header parser received no bytes")
        || message.startsWith("fixed content-length:"); // the JDK's words for a body cut short by a close
  }

  Set<String> knownChallengeSchemes() {
    return authenticator.challenge().map(c -> Set.of(c.scheme())).orElse(Set.of());
  }
}
