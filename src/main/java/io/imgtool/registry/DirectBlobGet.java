package io.imgtool.registry;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A blob GET on a connection of its own, its body read straight from the socket. java.net.http
 * hands a body over in 16 KiB heap buffers through its selector and executor threads (and over
 * TLS through an SSLEngine), which cost about twice the CPU of this way on a pull (bench/README.md),
 * CPU that a two-core machine also needs for hashing the blobs. Only the answer this path is for,
 * a 200 with a plain Content-Length body, is read here, after following redirects; anything else
 * (a challenge, an error, a chunked or encoded body) is closed unread, and the caller asks the
 * regular client instead, so authentication, errors and their messages are the regular ones.
 */
final class DirectBlobGet {
  private static final int MAX_REDIRECTS = 10;

  private DirectBlobGet() {}

  /**
   * The body of {@code uri}, or empty when the answer is not a plain 200 (the caller then asks
   * the regular client). Authorization goes to the registry's own origin only, as on redirects
   * of the regular client.
   */
  static Optional<InputStream> open(RegistryClient client, URI start, String authorization) throws IOException {
    URI uri = start;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      boolean own = client.isOwnOrigin(uri);
      Answer answer = exchange(client, uri, own ? authorization : null);
      if (answer.body != null) {
        return Optional.of(answer.body);
      }
      if (answer.location == null) {
        return Optional.empty();
      }
      uri = uri.resolve(answer.location);
    }
    return Optional.empty();
  }

  /** One GET; the answer's body when it is a plain 200, else where a redirect points, or neither. */
  private static Answer exchange(RegistryClient client, URI uri, String authorization) throws IOException {
    HttpTrace trace = client.registries().trace();
    trace.trace("> GET " + HttpTrace.redact(uri) + " Authorization: " + HttpTrace.redactAuthorization(authorization));
    Duration idle = client.registries().timeouts().idle();
    DirectConnection connection = DirectConnection.open(client, uri, idle);
    try {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Accept-Encoding", "identity");
      if (authorization != null) {
        headers.put("Authorization", authorization);
      }
      connection.writeHead("GET", headers);
      DirectConnection.Head head = connection.readHead();
      trace.trace("< " + head.status() + " GET " + HttpTrace.redact(uri));
      Answer answer = answer(head, connection, uri, idle);
      if (answer.body == null) {
        connection.close();
      }
      return answer;
    } catch (SocketTimeoutException e) {
      connection.close();
      throw TimedBody.idleTimeout(TimedBody.source(uri), idle);
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private static Answer answer(DirectConnection.Head head, DirectConnection connection, URI uri, Duration idle)
      throws IOException {
    if (head.isRedirect()) {
      return new Answer(null, head.first("location").orElse(null));
    }
    long length = DirectConnection.contentLength(head);
    String encoding = head.first("content-encoding").orElse("identity");
    if (head.status() != 200 || length < 0 || head.first("transfer-encoding").isPresent()
        || !encoding.equalsIgnoreCase("identity")) {
      return new Answer(null, null);
    }
    return new Answer(new Body(connection.input(), length, connection.socket(), TimedBody.source(uri), idle), null);
  }

  private record Answer(InputStream body, String location) {}

  /** Exactly Content-Length bytes; the connection closes with the stream. */
  private static final class Body extends BlockInputStream {
    private final InputStream in;
    private final Socket socket;
    private final String source;
    private final Duration idle;
    private long remaining;

    Body(InputStream in, long length, Socket socket, String source, Duration idle) {
      this.in = in;
      this.remaining = length;
      this.socket = socket;
      this.source = source;
      this.idle = idle;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n;
      try {
        n = in.read(bytes, offset, (int) Math.min(length, remaining));
      } catch (SocketTimeoutException e) {
        socket.close();
        throw TimedBody.idleTimeout(source, idle); // named as the regular client names it, and retried
      }
      if (n < 0) {
        throw new EOFException("EOF reached with " + remaining + " bytes of the body still to come");
      }
      remaining -= n;
      return n;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
