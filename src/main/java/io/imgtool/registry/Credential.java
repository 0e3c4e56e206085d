package io.imgtool.registry;

import java.util.Objects;

/**
 * A user name and secret (password or token) for one registry. An identity token, as
 * {@code docker login} stores for OAuth2 registries, has the user name {@value #IDENTITY_TOKEN_USER}.
 * {@link #toString()} never shows the secret.
 */
public record Credential(String username, String secret) {
  public static final String IDENTITY_TOKEN_USER = "<token>";

  public Credential {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(secret, "secret");
  }

  public boolean isIdentityToken() {
    return IDENTITY_TOKEN_USER.equals(username);
  }

  /** The value of a Basic Authorization header. */
  String basicAuthorization() {
    return "Basic " + basicAuthorization64();
  }

  /** base64(user:secret), as Basic auth and Docker's config.json {@code auth} field hold it. */
  public String basicAuthorization64() {
    String pair = username + ":" + secret;
    return java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credential[username=" + username + ", secret=<redacted>]";
  }
}
