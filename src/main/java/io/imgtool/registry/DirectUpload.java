package io.imgtool.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * A blob upload whose body is a file of the store, written to a socket of its own. Over TLS,
 * java.net.http encrypts through an SSLEngine in 16 KiB packets handed between its threads, which
 * made an HTTPS push several times skopeo's CPU (bench/README.md); a TLS socket writes large
 * buffers in one native call, and over plain HTTP the file goes by {@code sendfile}. The answer
 * becomes an ordinary {@link HttpResponse}, so that authentication, errors and their messages,
 * and the upload's retries are the regular client's.
 *
 * <p>No server can hold the upload: a write that makes no progress for the idle timeout closes
 * the socket ({@link WriteWatchdog}), the answer's head must come within the idle timeout, and its
 * body within the read deadline.
 */
final class DirectUpload {
  private static final int BUFFER = 1 << 18;

  private DirectUpload() {}

  static HttpResponse<InputStream> send(RegistryClient client, Request request, String authorization)
      throws IOException {
    URI uri = request.uri();
    Request.FileSlice file = request.file();
    Timeouts timeouts = client.registries().timeouts();
    String source = TimedBody.source(uri);
    DirectConnection connection = DirectConnection.open(client, uri, timeouts.idle());
    try {
      Map<String, String> headers = new LinkedHashMap<>(request.headers());
      headers.put("Content-Length", Long.toString(file.length()));
      if (authorization != null) {
        headers.put("Authorization", authorization);
      }
      IOException sendFailure = send(connection, request.method(), headers, file, timeouts.idle(), source);
      DirectConnection.Head head = readHead(connection, sendFailure, timeouts.idle(), source);
      InputStream body = new AnswerBody(connection, head, timeouts.read(), source);
      return new DirectResponse(request, head, body);
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * Writes the request; a failure is returned rather than thrown, because a registry that refuses
   * a request (401, 413) may answer before it has read the body, and close: its answer says more
   * than "broken pipe".
   */
  private static IOException send(DirectConnection connection, String method, Map<String, String> headers,
      Request.FileSlice file, Duration idle, String source) throws IOException {
    try (WriteWatchdog watchdog = WriteWatchdog.start(connection, idle)) {
      try {
        connection.writeHead(method, headers);
        writeBody(connection, file, watchdog);
        return null;
      } catch (IOException e) {
        if (watchdog.fired()) {
          throw TimedBody.idleTimeout(source, idle);
        }
        return e;
      }
    }
  }

  private static void writeBody(DirectConnection connection, Request.FileSlice file, WriteWatchdog watchdog)
      throws IOException {
    try (FileChannel in = file.open()) {
      Optional<SocketChannel> channel = connection.channel();
      if (channel.isPresent()) {
        transfer(in, channel.get(), file, watchdog);
      } else {
        copy(in, connection.socket().getOutputStream(), file, watchdog);
      }
    }
  }

  /** Plain HTTP: the kernel copies the file to the socket. */
  private static void transfer(FileChannel in, SocketChannel out, Request.FileSlice file, WriteWatchdog watchdog)
      throws IOException {
    long position = file.start();
    while (position < file.end()) {
      long sent = in.transferTo(position, Math.min(BUFFER * 4L, file.end() - position), out);
      if (sent <= 0) {
        throw new IOException(file.path() + " ended at " + position + " bytes while it was being sent");
      }
      position += sent;
      watchdog.progressed();
      file.progress().accept(position);
    }
  }

  /** TLS: large writes, each one record run through the native library. */
  private static void copy(FileChannel in, OutputStream out, Request.FileSlice file, WriteWatchdog watchdog)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    long position = file.start();
    while (position < file.end()) {
      buffer.clear().limit((int) Math.min(BUFFER, file.end() - position));
      int n = in.read(buffer, position);
      if (n <= 0) {
        throw new IOException(file.path() + " ended at " + position + " bytes while it was being sent");
      }
      out.write(buffer.array(), 0, n);
      position += n;
      watchdog.progressed();
      file.progress().accept(position);
    }
    out.flush();
  }

  /** The answer's head; when sending failed and no answer came, the sending failure. */
  private static DirectConnection.Head readHead(DirectConnection connection, IOException sendFailure, Duration idle,
      String source) throws IOException {
    try {
      return connection.readHead();
    } catch (SocketTimeoutException e) {
      if (sendFailure != null) {
        throw sendFailure;
      }
      throw TimedBody.idleTimeout(source, idle);
    } catch (IOException e) {
      if (sendFailure != null) {
        sendFailure.addSuppressed(e);
        throw sendFailure;
      }
      throw e;
    }
  }

  /**
   * The answer's body (a PATCH answer has none; an error has its JSON), by Content-Length, chunks
   * or up to the close, read within the read deadline; closing it closes the connection.
   */
  private static final class AnswerBody extends BlockInputStream {
    private final DirectConnection connection;
    private final InputStream in;
    private final String source;
    private final Duration whole;
    private final long start = System.nanoTime();
    private final int idleMillis;

    AnswerBody(DirectConnection connection, DirectConnection.Head head, Duration whole, String source)
        throws IOException {
      this.connection = connection;
      this.in = DirectConnection.body(head, connection.input());
      this.whole = whole;
      this.source = source;
      this.idleMillis = connection.socket().getSoTimeout();
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      long left = TimedBody.remaining(whole, start);
      if (left <= 0) {
        connection.close();
        throw TimedBody.deadlineExceeded(source, whole);
      }
      connection.socket().setSoTimeout((int) Math.max(1, Math.min(idleMillis, left / 1_000_000)));
      try {
        return in.read(bytes, offset, length);
      } catch (SocketTimeoutException e) {
        connection.close();
        throw TimedBody.remaining(whole, start) <= 0 ? TimedBody.deadlineExceeded(source, whole)
            : TimedBody.idleTimeout(source, Duration.ofMillis(idleMillis));
      }
    }

    @Override
    public void close() throws IOException {
      connection.close();
    }
  }

  /** The answer as java.net.http would have given it, for {@link Response}. */
  private record DirectResponse(HttpRequest request, int statusCode, HttpHeaders headers, InputStream body, URI uri)
      implements HttpResponse<InputStream> {
    DirectResponse(Request request, DirectConnection.Head head, InputStream body) {
      this(HttpRequest.newBuilder(request.uri()).method(request.method(), HttpRequest.BodyPublishers.noBody()).build(),
          head.status(), HttpHeaders.of(head.headers(), (name, value) -> true), body, request.uri());
    }

    @Override
    public Optional<HttpResponse<InputStream>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
