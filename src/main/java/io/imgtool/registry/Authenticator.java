package io.imgtool.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers a registry's challenge: Basic with the user's credential, or Bearer tokens from the
 * realm (distribution token spec), cached per scope set. Tokens never leave this class except as
 * Authorization header values.
 */
final class Authenticator {
  private static final long DEFAULT_TOKEN_SECONDS = 60;
  private static final long EXPIRY_MARGIN_SECONDS = 10;
  /** A token answer is a few KiB (a JWT, maybe a refresh token); anything near this is not one. */
  private static final int MAX_TOKEN_RESPONSE = 1 << 20;

  private final Registries registries;
  private final String registry;
  private final CredentialProvider credentials;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private volatile Challenge challenge;
  private volatile Optional<Credential> credential;

  private record Token(String value, Instant expires) {
    boolean isFresh() {
      return Instant.now().isBefore(expires);
    }

    @Override
    public String toString() {
      return "Token[<redacted>]";
    }
  }

  Authenticator(Registries registries, String registry, CredentialProvider credentials) {
    this.registries = registries;
    this.registry = registry;
    this.credentials = credentials;
  }

  void challenge(Challenge newChallenge) {
    this.challenge = newChallenge;
  }

  Optional<Challenge> challenge() {
    return Optional.ofNullable(challenge);
  }

  boolean hasCredential() {
    return credential().isPresent();
  }

  /** The Authorization value for requests needing these scopes, or null when none is needed. */
  String authorization(Collection<Scope> scopes) throws IOException {
    Challenge current = challenge;
    if (current == null) {
      return null;
    }
    if (current.scheme().equals(Challenge.BASIC)) {
      return credential().map(Credential::basicAuthorization).orElse(null);
    }
    if (!current.scheme().equals(Challenge.BEARER)) {
      return null;
    }
    String key = Scope.key(scopes);
    Token token = tokens.get(key);
    if (token == null || !token.isFresh()) {
      token = fetchToken(current, scopes);
      tokens.put(key, token);
    }
    return "Bearer " + token.value();
  }

  /** After a 401: forget the token for these scopes and take the registry's new challenge. */
  void renew(Collection<Scope> scopes, Optional<Challenge> newChallenge) {
    tokens.remove(Scope.key(scopes));
    newChallenge.ifPresent(c -> challenge = c);
  }

  private Optional<Credential> credential() {
    Optional<Credential> known = credential;
    if (known == null) {
      known = credentials.credentialFor(registry);
      credential = known;
    }
    return known;
  }

  private Token fetchToken(Challenge bearer, Collection<Scope> scopes) throws IOException {
    String realm = bearer.param("realm");
    if (realm == null || realm.isBlank()) {
      throw new RegistryException("registry " + registry + " asked for a token without naming a realm", 401,
          List.of("UNAUTHORIZED"), false);
    }
    URI realmUri = realm(realm);
    Optional<Credential> user = credential();
    if (user.isPresent() && "http".equalsIgnoreCase(realmUri.getScheme()) && !registries.isInsecure(registry)) {
      throw new RegistryException("refusing to send credentials for " + registry + " over plain HTTP to "
          + realmUri.getRawAuthority() + "; use --insecure or insecure-registries if you trust this network",
          0, List.of(), false);
    }
    Response response;
    if (user.isPresent() && user.get().isIdentityToken()) {
      response = postForm(realmUri, bearer, scopes, user.get());
    } else {
      response = get(realmUri, bearer, scopes, user);
      if (user.isPresent() && (response.status() == 404 || response.status() == 405)) {
        response.close();
        response = postForm(realmUri, bearer, scopes, user.get());
      }
    }
    try (Response answer = response) {
      return readToken(answer, user.isPresent());
    }
  }

  /**
   * The token service's address from the challenge: an absolute http(s) URL, or the registry's
   * error (a bare IllegalArgumentException from URI or HttpRequest would reach the user as a crash).
   */
  private URI realm(String realm) {
    try {
      URI uri = new URI(realm.strip());
      String scheme = uri.getScheme();
      if (uri.getHost() != null && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // said below, as the same error
    }
    throw new RegistryException("registry " + registry + " names a token service that is no http(s) URL: \""
        + realm + "\"; the registry (or a proxy in front of it) is misconfigured", 401, List.of("UNAUTHORIZED"), false);
  }

  private Response get(URI realm, Challenge bearer, Collection<Scope> scopes, Optional<Credential> user)
      throws IOException {
    StringBuilder query = new StringBuilder();
    if (bearer.param("service") != null) {
      query.append("service=").append(encode(bearer.param("service")));
    }
    for (Scope scope : scopes) {
      query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope.toString()));
    }
    if (user.isPresent()) {
      query.append(query.length() == 0 ? "" : "&").append("account=").append(encode(user.get().username()));
    }
    String separator = realm.getRawQuery() == null ? "?" : "&";
    URI uri = URI.create(realm + (query.length() == 0 ? "" : separator + query));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    user.ifPresent(u -> request.header("Authorization", u.basicAuthorization()));
    return send(request.build(), user.isPresent());
  }

  /** The OAuth2 form of the token spec: password or refresh_token grant. */
  private Response postForm(URI realm, Challenge bearer, Collection<Scope> scopes, Credential user)
      throws IOException {
    StringBuilder form = new StringBuilder("client_id=imgtool");
    if (user.isIdentityToken()) {
      form.append("&grant_type=refresh_token&refresh_token=").append(encode(user.secret()));
    } else {
      form.append("&grant_type=password&username=").append(encode(user.username()))
          .append("&password=").append(encode(user.secret()));
    }
    if (bearer.param("service") != null) {
      form.append("&service=").append(encode(bearer.param("service")));
    }
    if (!scopes.isEmpty()) {
      form.append("&scope=").append(encode(Scope.key(scopes)));
    }
    HttpRequest request = HttpRequest.newBuilder(realm)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
    return send(request, true);
  }

  /** Sends to the token service; the answer is a small document, bounded by the read deadline. */
  private Response send(HttpRequest request, boolean withCredential) throws IOException {
    HttpTrace trace = registries.trace();
    trace.trace("> " + request.method() + " " + HttpTrace.redact(request.uri())
        + (withCredential ? " (credentials <redacted>)" : " (anonymous)"));
    try {
      Timeouts timeouts = registries.timeouts();
      Response response = new Response(Exchange.send(registries.httpClientFor(request.uri()), request,
          timeouts, timeouts.read()));
      trace.trace("< " + response.status() + " " + request.method() + " " + HttpTrace.redact(request.uri())
          + " (token body <redacted>)");
      return response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching a token for " + registry);
    }
  }

  private Token readToken(Response response, boolean withCredential) {
    int status = response.status();
    if (status == 401 || status == 403) {
      String message = withCredential
          ? "the saved credentials for " + registry + " were rejected by its token service (HTTP " + status
              + "). If the password changed or the token expired, log in again: imgtool login " + registry
          : "the token service of " + registry + " refused anonymous access (HTTP " + status
              + "). Log in first: imgtool login " + registry;
      throw new RegistryException(message, status, List.of("UNAUTHORIZED"), false);
    }
    if (status / 100 != 2) {
      throw new RegistryException("the token service of " + registry + " failed (HTTP " + status + ")",
          status, List.of(), RegistryErrors.isRetryableStatus(status));
    }
    try {
      JsonNode json = Json.tree(response.bytes(MAX_TOKEN_RESPONSE, "token response",
          "the token service of " + registry));
      String value = json.path("token").asText(json.path("access_token").asText(""));
      if (value.isEmpty()) {
        throw new RegistryException("the token service of " + registry + " answered without a token",
            status, List.of(), false);
      }
      long seconds = json.path("expires_in").asLong(DEFAULT_TOKEN_SECONDS);
      long lifetime = Math.max(seconds, DEFAULT_TOKEN_SECONDS) - EXPIRY_MARGIN_SECONDS;
      return new Token(value, Instant.now().plusSeconds(lifetime));
    } catch (IOException e) {
      throw new RegistryException("the token service of " + registry + " answered with invalid JSON",
          status, List.of(), false);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
