package io.imgtool.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** An HTTP answer whose body is a stream; closing it gives the connection back to the pool. */
final class Response implements AutoCloseable {
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final HttpResponse<InputStream> response;
  private boolean denied;
  private boolean credentialsRejected;

  Response(HttpResponse<InputStream> response) {
    this.response = response;
  }

  /**
   * Marks a 401 that a logged-in user got even with a fresh token: the token service did not
   * grant the scope ({@code insufficient_scope}), which means access denied, not "log in".
   */
  void markDenied() {
    denied = true;
  }

  /** Marks a 401 that came although credentials were sent: they are wrong (changed, expired, revoked). */
  void markCredentialsRejected() {
    credentialsRejected = true;
  }

  int status() {
    return response.statusCode();
  }

  boolean isSuccess() {
    return status() / 100 == 2;
  }

  URI uri() {
    return response.uri();
  }

  Optional<String> header(String name) {
    return response.headers().firstValue(name);
  }

  List<String> headers(String name) {
    return response.headers().allValues(name);
  }

  InputStream body() {
    return response.body();
  }

  /**
   * The whole body of a document (manifest, token, page), at most {@code limit} bytes: a longer
   * one, declared or sent, is refused without reading more than one byte past the limit, so no
   * server can fill the memory. {@code kind} and {@code where} name it: "manifest too large (more
   * than 4 MiB) from host/repo:tag".
   */
  byte[] bytes(int limit, String kind, String where) {
    OptionalLong declared = response.headers().firstValueAsLong("Content-Length");
    if (declared.isPresent() && declared.getAsLong() > limit) {
      throw tooLarge(limit, kind, where);
    }
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw tooLarge(limit, kind, where);
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RegistryException tooLarge(int limit, String kind, String where) {
    String size = limit % (1 << 20) == 0 ? (limit >> 20) + " MiB" : limit + " bytes";
    return new RegistryException(kind + " too large (more than " + size + ") from " + where, status(), List.of(),
        false);
  }

  /** The start of an error body, enough for the registry's error JSON. */
  byte[] errorBytes() {
    try (InputStream in = response.body()) {
      return in.readNBytes(MAX_ERROR_BODY);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** Retry-After as seconds or an HTTP date. */
  Optional<Duration> retryAfter() {
    return header("Retry-After").flatMap(Response::parseRetryAfter);
  }

  static Optional<Duration> parseRetryAfter(String value) {
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  /** The error for this answer; reads (and closes) the body. */
  RegistryException error(String operation, String registry, boolean push) {
    RegistryException e = credentialsRejected
        ? RegistryErrors.rejectedCredentials(operation, registry, status(), errorBytes())
        : RegistryErrors.of(operation, registry, status(), errorBytes(), push, denied);
    Optional<Duration> wait = retryAfter();
    return wait.isEmpty() ? e
        : new RegistryException(e.getMessage(), e.status(), e.codes(), e.isRetryable(), wait.get());
  }

  /**
   * Ends the exchange. A short body is read to its end first: java.net.http puts an HTTP/1.1
   * connection back in its pool just before it signals the end of the body, so the caller's next
   * request then finds the connection there instead of racing its return and opening another.
   * A long body is abandoned, and its connection with it.
   */
  @Override
  public void close() {
    try (InputStream in = response.body()) {
      if (hasShortBody()) {
        in.readNBytes(MAX_ERROR_BODY);
      }
    } catch (IOException e) {
      // nothing to do: the connection is discarded
    }
  }

  private boolean hasShortBody() {
    if (response.request().method().equals("HEAD") || status() == 204 || status() == 304) {
      return true;
    }
    OptionalLong length = response.headers().firstValueAsLong("Content-Length");
    return length.isPresent() && length.getAsLong() < MAX_ERROR_BODY;
  }
}
