package io.imgtool.registry;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 exchange on a socket of its own ({@code Connection: close}), for the two blob
 * transfers that java.net.http makes slow ({@link DirectBlobGet}, {@link DirectUpload}): the
 * connection, with the registry's TLS context and the JDK's host-name check, the request head,
 * and the answer's status line and headers, read within the idle timeout.
 */
final class DirectConnection implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int MAX_HEADERS = 256;
  private static final int BUFFER = 1 << 16;

  /** An answer's status and headers (names in lower case, every value in order). */
  record Head(int status, Map<String, List<String>> headers) {
    Optional<String> first(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    boolean isRedirect() {
      return RegistryClient.isRedirect(status);
    }
  }

  private final Socket socket;
  /** The TCP socket under the TLS one, or the socket itself over plain HTTP. */
  private final Socket tcp;
  private final URI uri;
  private InputStream in;

  private DirectConnection(Socket socket, Socket tcp, URI uri) {
    this.socket = socket;
    this.tcp = tcp;
    this.uri = uri;
  }

  /**
   * Connects to {@code uri}'s origin; reads wait at most {@code idle}, as the regular client's
   * do. Plain HTTP connections are channels, so that a file can go to them by {@code sendfile}.
   */
  static DirectConnection open(RegistryClient client, URI uri, Duration idle) throws IOException {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    String host = uri.getHost();
    if (host == null) {
      throw new IOException("no host in " + HttpTrace.redact(uri));
    }
    host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    Socket socket = https ? new Socket() : SocketChannel.open().socket();
    try {
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) Math.max(1, idle.toMillis()));
      socket.setTcpNoDelay(true);
      if (!https) {
        return new DirectConnection(socket, socket, uri);
      }
      Registries.Tls tls = client.directTlsFor(uri);
      SSLSocket ssl = (SSLSocket) tls.context().getSocketFactory().createSocket(socket, host, port, true);
      SSLParameters parameters = ssl.getSSLParameters();
      // As java.net.http does: the certificate must name the host, unless the registry is insecure.
      parameters.setEndpointIdentificationAlgorithm(tls.verified() ? "HTTPS" : null);
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      ssl.setSSLParameters(parameters);
      ssl.startHandshake();
      return new DirectConnection(ssl, socket, uri);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  Socket socket() {
    return socket;
  }

  /** The channel of a plain HTTP connection, for {@code FileChannel.transferTo}; empty over TLS. */
  Optional<SocketChannel> channel() {
    return Optional.ofNullable(socket.getChannel());
  }

  /** Sends the request line and headers (Host, Connection: close and {@code headers}). */
  void writeHead(String method, Map<String, String> headers) throws IOException {
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    StringBuilder text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(uri.getRawAuthority()).append("\r\n")
        .append("Connection: close\r\n");
    headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
    socket.getOutputStream().write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The answer's stream, buffered; the body follows the head in it. */
  InputStream input() throws IOException {
    if (in == null) {
      in = new BufferedInputStream(socket.getInputStream(), BUFFER);
    }
    return in;
  }

  /** Reads the status line and headers; a 1xx interim answer is skipped. */
  Head readHead() throws IOException {
    while (true) {
      int status = status(readLine());
      Map<String, List<String>> headers = new LinkedHashMap<>();
      int count = 0;
      for (String line = readLine(); !line.isEmpty(); line = readLine()) {
        int colon = line.indexOf(':');
        if (colon > 0 && ++count <= MAX_HEADERS) {
          headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
              .add(line.substring(colon + 1).strip());
        }
      }
      if (status >= 200 || status == 101) {
        return new Head(status, headers);
      }
    }
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

  private String readLine() throws IOException {
    InputStream input = input();
    StringBuilder line = new StringBuilder();
    for (int c = input.read(); c != '\n'; c = input.read()) {
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

  /**
   * The body that follows {@code head} in {@code in}: Content-Length bytes, the decoded chunks, or
   * everything up to the close (the request said {@code Connection: close}).
   */
  static InputStream body(Head head, InputStream in) {
    if (head.status() == 204 || head.status() == 304) {
      return InputStream.nullInputStream();
    }
    if (head.first("transfer-encoding").filter(value -> value.toLowerCase(Locale.ROOT).contains("chunked")).isPresent()) {
      return new ChunkedBody(in);
    }
    long length = contentLength(head);
    return length < 0 ? in : new BoundedStream(in, length, false, n -> { });
  }

  static long contentLength(Head head) {
    try {
      return head.first("content-length").map(value -> Long.parseLong(value.strip())).orElse(-1L);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Ends the connection from another thread, one that may be blocked writing: a close alone does
   * not wake a {@code sendfile} or a TLS library's native write, a shutdown of the TCP socket's
   * sending side does (EPIPE), then the socket is closed.
   */
  void abort() {
    try {
      tcp.shutdownOutput();
    } catch (IOException | RuntimeException e) {
      // already closed or shut down: the close below is what matters
    }
    try {
      close();
    } catch (IOException e) {
      // nothing more to do
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
