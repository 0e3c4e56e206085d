package io.imgtool.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge: the scheme (lower-cased, as schemes are
 * case-insensitive) and its parameters, e.g. Bearer with realm, service and scope.
 */
public record Challenge(String scheme, Map<String, String> params) {
  public static final String BEARER = "bearer";
  public static final String BASIC = "basic";

  public Challenge {
    params = Map.copyOf(params);
  }

  public String param(String name) {
    return params.get(name);
  }

  /** The challenge to answer from all WWW-Authenticate headers: Bearer before Basic. */
  public static Optional<Challenge> choose(List<String> headers) {
    Challenge basic = null;
    for (String header : headers) {
      Challenge challenge = parse(header);
      if (challenge.scheme.equals(BEARER)) {
        return Optional.of(challenge);
      }
      if (challenge.scheme.equals(BASIC)) {
        basic = challenge;
      }
    }
    return Optional.ofNullable(basic);
  }

  /**
   * Parses {@code Scheme k1=v1, k2="quoted, with commas"}. Values may be quoted strings with
   * backslash escapes; a scope value can hold several space-separated scopes.
   */
  public static Challenge parse(String header) {
    String text = header.strip();
    int space = indexOfWhitespace(text);
    String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    int i = space < 0 ? text.length() : space;
    while (i < text.length()) {
      i = skip(text, i, " \t,");
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = text.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      i = eq + 1;
      StringBuilder value = new StringBuilder();
      if (i < text.length() && text.charAt(i) == '"') {
        i++;
        while (i < text.length() && text.charAt(i) != '"') {
          char c = text.charAt(i++);
          if (c == '\\' && i < text.length()) {
            c = text.charAt(i++);
          }
          value.append(c);
        }
        i++; // closing quote
      } else {
        while (i < text.length() && text.charAt(i) != ',') {
          value.append(text.charAt(i++));
        }
      }
      params.put(key, value.toString().strip());
    }
    return new Challenge(scheme, params);
  }

  private static int indexOfWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static int skip(String text, int i, String chars) {
    while (i < text.length() && chars.indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }
}
