package io.imgtool.registry.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.imgtool.image.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token service like Aliyun's: RS256 JWTs with the signing certificate in {@code x5c}. A user
 * may pull anything and push only under their own namespace ({@code alice/...}); anonymous users
 * may pull {@code public/...}; logged-in users may list the catalog.
 */
public final class TokenServer implements AutoCloseable {
  public static final String SERVICE = "imgtool-test-registry";
  public static final String ISSUER = "imgtool-test-issuer";

  private final HttpServer server;
  private final Map<String, String> users;
  private final PrivateKey key;
  private final String certificateDer;
  private final List<String> requestedScopes = new CopyOnWriteArrayList<>();
  private final List<String> methods = new CopyOnWriteArrayList<>();
  private volatile boolean postOnly;

  public TokenServer(Map<String, String> users, Path keyPem, Path certPem) throws Exception {
    this.users = Map.copyOf(users);
    this.key = readKey(keyPem);
    X509Certificate cert;
    try (var in = Files.newInputStream(certPem)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    this.certificateDer = Base64.getEncoder().encodeToString(cert.getEncoded());
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::handle);
    server.start();
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** Scope strings asked for, one entry per token request (space-joined). */
  public List<String> requestedScopes() {
    return requestedScopes;
  }

  public List<String> methods() {
    return methods;
  }

  /** Answer GET with 405, as token services that only implement the OAuth2 POST form do. */
  public void postOnly(boolean value) {
    postOnly = value;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      methods.add(exchange.getRequestMethod());
      Map<String, List<String>> params;
      String user;
      if (exchange.getRequestMethod().equals("POST")) {
        params = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        user = checkPassword(first(params, "username"), first(params, "password"));
        List<String> scopes = new ArrayList<>();
        for (String s : params.getOrDefault("scope", List.of())) {
          scopes.addAll(List.of(s.split(" ")));
        }
        params.put("scope", scopes);
      } else if (postOnly) {
        exchange.sendResponseHeaders(405, -1);
        return;
      } else {
        params = parse(exchange.getRequestURI().getRawQuery());
        user = basicUser(exchange.getRequestHeaders().getFirst("Authorization"));
      }
      if (user == null && (exchange.getRequestHeaders().containsKey("Authorization")
          || params.containsKey("password"))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      List<String> scopes = params.getOrDefault("scope", List.of());
      requestedScopes.add(String.join(" ", scopes));
      String token = sign(claims(user, scopes));
      ObjectNode body = Json.object();
      body.put("token", token);
      body.put("access_token", token);
      body.put("expires_in", 300);
      byte[] bytes = Json.bytes(body);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private ObjectNode claims(String user, List<String> scopes) {
    ObjectNode claims = Json.object();
    long now = Instant.now().getEpochSecond();
    claims.put("iss", ISSUER);
    claims.put("sub", user == null ? "" : user);
    claims.put("aud", SERVICE);
    claims.put("iat", now - 5);
    claims.put("nbf", now - 5);
    claims.put("exp", now + 300);
    claims.put("jti", UUID.randomUUID().toString());
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      if (parts.length != 3) {
        continue;
      }
      List<String> granted = new ArrayList<>();
      for (String action : parts[2].split(",")) {
        if (allowed(user, parts[0], parts[1], action)) {
          granted.add(action);
        }
      }
      if (!granted.isEmpty()) {
        ObjectNode entry = access.addObject();
        entry.put("type", parts[0]);
        entry.put("name", parts[1]);
        ArrayNode actions = entry.putArray("actions");
        granted.forEach(actions::add);
      }
    }
    return claims;
  }

  private static boolean allowed(String user, String type, String name, String action) {
    if (type.equals("registry")) {
      return user != null && name.equals("catalog");
    }
    if (action.equals("pull")) {
      return !name.startsWith("sealed/") && (user != null || name.startsWith("public/"));
    }
    return action.equals("push") && user != null && name.startsWith(user + "/");
  }

  private String sign(ObjectNode claims) {
    try {
      ObjectNode header = Json.object();
      header.put("alg", "RS256");
      header.put("typ", "JWT");
      header.putArray("x5c").add(certificateDer);
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String input = b64.encodeToString(Json.bytes(header)) + "." + b64.encodeToString(Json.bytes(claims));
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64.encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String basicUser(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return null;
    }
    String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    return colon < 0 ? null : checkPassword(pair.substring(0, colon), pair.substring(colon + 1));
  }

  private String checkPassword(String user, String password) {
    return user != null && password != null && password.equals(users.get(user)) ? user : null;
  }

  private static Map<String, List<String>> parse(String query) {
    Map<String, List<String>> result = new java.util.HashMap<>();
    if (query == null || query.isEmpty()) {
      return result;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      result.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return result;
  }

  private static String first(Map<String, List<String>> params, String key) {
    List<String> values = params.get(key);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static PrivateKey readKey(Path pem) throws Exception {
    String text = Files.readString(pem);
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
