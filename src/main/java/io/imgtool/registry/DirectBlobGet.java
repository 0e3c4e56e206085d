package io.imgtool.registry;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

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
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_REDIRECTS = 10;
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int BUFFER = 1 << 16;

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
    Socket socket = connect(client, uri, idle);
    try {
      OutputStream out = socket.getOutputStream();
      out.write(request(uri, authorization).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
      int status = status(readLine(in, uri));
      Map<String, String> headers = headers(in, uri);
      trace.trace("< " + status + " GET " + HttpTrace.redact(uri));
      Answer answer = answer(status, headers, in, socket, uri, idle);
      if (answer.body == null) {
        socket.close();
      }
      return answer;
    } catch (SocketTimeoutException e) {
      socket.close();
      throw TimedBody.idleTimeout(TimedBody.source(uri), idle);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static Answer answer(int status, Map<String, String> headers, InputStream in, Socket socket, URI uri,
      Duration idle) {
    boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (redirect) {
      return new Answer(null, headers.get("location"));
    }
    long length = contentLength(headers.get("content-length"));
    String encoding = headers.getOrDefault("content-encoding", "identity");
    if (status != 200 || length < 0 || headers.containsKey("transfer-encoding")
        || !encoding.equalsIgnoreCase("identity")) {
      return new Answer(null, null);
    }
    return new Answer(new Body(in, length, socket, TimedBody.source(uri), idle), null);
  }

  /** A socket whose reads wait at most the registry idle timeout, as the regular client's do. */
  private static Socket connect(RegistryClient client, URI uri, Duration idle) throws IOException {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    String host = uri.getHost();
    if (host == null) {
      throw new IOException("no host in " + HttpTrace.redact(uri));
    }
    host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) Math.max(1, idle.toMillis()));
      socket.setTcpNoDelay(true);
      if (!https) {
        return socket;
      }
      Registries.Tls tls = client.tlsFor(uri);
      SSLSocket ssl = (SSLSocket) tls.context().getSocketFactory().createSocket(socket, host, port, true);
      SSLParameters parameters = ssl.getSSLParameters();
      // As java.net.http does: the certificate must name the host, unless the registry is insecure.
      parameters.setEndpointIdentificationAlgorithm(tls.verified() ? "HTTPS" : null);
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      ssl.setSSLParameters(parameters);
      ssl.startHandshake();
      return ssl;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static String request(URI uri, String authorization) {
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    StringBuilder text = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(uri.getRawAuthority()).append("\r\n")
        .append("Accept-Encoding: identity\r\n")
        .append("Connection: close\r\n");
    if (authorization != null) {
      text.append("Authorization: ").append(authorization).append("\r\n");
    }
    return text.append("\r\n").toString();
  }

  private static int status(String line) throws IOException {
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.1 answer: " + line);
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status: " + line, e);
    }
  }

  /** Header names in lower case; a repeated header keeps its first value (none here may repeat). */
  private static Map<String, String> headers(InputStream in, URI uri) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (String line = readLine(in, uri); !line.isEmpty(); line = readLine(in, uri)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
      }
    }
    return headers;
  }

  private static String readLine(InputStream in, URI uri) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("EOF reached while reading the answer from " + uri.getRawAuthority());
      }
      if (line.length() >= MAX_HEADER_BYTES) {
        throw new IOException("the answer's header from " + uri.getRawAuthority() + " is too long");
      }
      line.append((char) c);
    }
    int end = line.length();
    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }

  private static long contentLength(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private record Answer(InputStream body, String location) {}

  /** Exactly Content-Length bytes; the connection closes with the stream. */
  private static final class Body extends InputStream {
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
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
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
