package io.imgtool.registry;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Receives one line per HTTP exchange for {@code --debug}. Lines never hold credentials: the
 * Authorization value and secret-looking query parameters are replaced by {@code <redacted>}.
 */
@FunctionalInterface
public interface HttpTrace {
  HttpTrace NONE = line -> { };

  void trace(String line);

  /** A URI safe to show: query values that may be signatures or tokens are hidden. */
  static String redact(URI uri) {
    String text = uri.toString();
    return Redaction.QUERY_SECRET.matcher(text).replaceAll("$1=<redacted>");
  }

  /** The scheme of an Authorization value, without the value. */
  static String redactAuthorization(String value) {
    if (value == null) {
      return "none";
    }
    int space = value.indexOf(' ');
    return (space < 0 ? "" : value.substring(0, space) + " ") + "<redacted>";
  }

  /** Holder for the pattern (interfaces cannot have private static fields). */
  final class Redaction {
    static final Pattern QUERY_SECRET = Pattern.compile(
        "(?i)([?&][^=&]*(?:sig|token|credential|key|secret|password|auth|state)[^=&]*)=[^&]*");

    private Redaction() {}
  }
}
