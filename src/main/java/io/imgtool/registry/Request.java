package io.imgtool.registry;

import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One request to send, possibly more than once (after a 401, on a redirect): the body is a
 * supplier so that each attempt streams it afresh. A request with a timeout is a small exchange,
 * bounded as a whole by the read deadline of {@link Timeouts}; one without (a blob transfer) only
 * by its idle timeout.
 */
record Request(String method, URI uri, Map<String, String> headers, Supplier<BodyPublisher> body, Duration timeout) {
  /** Marks a small request (manifest, ping, token); the duration applied is the settings' read deadline. */
  static final Duration SHORT = Duration.ofSeconds(60);

  static Request of(String method, URI uri) {
    return new Request(method, uri, Map.of(), BodyPublishers::noBody, SHORT);
  }

  Request header(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Request(method, uri, copy, body, timeout);
  }

  Request body(Supplier<BodyPublisher> newBody) {
    return new Request(method, uri, headers, newBody, timeout);
  }

  Request noTimeout() {
    return new Request(method, uri, headers, body, null);
  }

  Request uri(URI newUri) {
    return new Request(method, newUri, headers, body, timeout);
  }
}
