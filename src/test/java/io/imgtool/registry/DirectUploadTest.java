package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads of a file's bytes on a socket of their own ({@link DirectUpload}), against a server on a
 * raw socket, for what a real registry does not do on demand: stop reading an upload, refuse it
 * before reading it and close, answer in chunks. The happy path over plain HTTP and TLS, with
 * tokens and through a faulty proxy, is the real registry's (PushIT, TlsRegistryIT, TokenRegistryIT,
 * FlakyNetworkPushIT).
 */
@Timeout(120) // a guard against a hang, not a measurement
class DirectUploadTest {
  private static final String ERROR = "{\"errors\":[{\"code\":\"BLOB_UPLOAD_INVALID\",\"message\":\"blob upload invalid\"}]}";

  @TempDir
  Path dir;
  private ServerSocket server;
  private Thread serving;
  private volatile Behaviour behaviour;
  private Credential credential;
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  /** What the server does with a PATCH once it has read its head. */
  @FunctionalInterface
  private interface Behaviour {
    void patch(Socket socket, InputStream in, long length) throws IOException;
  }

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serving = new Thread(this::serve, "raw-registry");
    serving.setDaemon(true);
    serving.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    serving.join(10_000);
  }

  @Test
  void theSliceGoesOutWithItsLengthAndTheAnswerIsTheRegistrys() throws Exception {
    byte[] blob = random(3 << 20);
    Path file = Files.write(dir.resolve("blob"), blob);
    behaviour = (socket, in, length) -> {
      received.write(in.readNBytes((int) length));
      answer(socket, "202 Accepted", "Location: /v2/app/blobs/uploads/1?_state=next\r\nRange: 0-3145727\r\n"
          + "Content-Length: 0\r\n", "");
    };
    AtomicLong reached = new AtomicLong();

    try (Response response = patch(new Request.FileSlice(file, 1 << 20, 2 << 20, reached::set))) {
      assertEquals(202, response.status());
      assertEquals("0-3145727", response.header("range").orElseThrow());
      assertEquals("/v2/app/blobs/uploads/1?_state=next", response.header("Location").orElseThrow());
    }
    byte[] expected = java.util.Arrays.copyOfRange(blob, 1 << 20, 3 << 20);
    assertArrayEquals(expected, received.toByteArray());
    assertEquals(3 << 20, reached.get());
    String head = heads.get(heads.size() - 1).toLowerCase(Locale.ROOT);
    assertTrue(head.startsWith("patch /v2/app/blobs/uploads/1?_state=x http/1.1\r\n"), head);
    assertTrue(head.contains("\r\ncontent-length: 2097152\r\n"), head);
    assertTrue(head.contains("\r\ncontent-range: 1048576-3145727\r\n"), head);
  }

  /** A 401 to the upload itself (an expired token) renews the authorization and sends the file again. */
  @Test
  void anUploadRefusedWithAChallengeIsSentAgainWithCredentials() throws Exception {
    byte[] blob = random(200_000);
    Path file = Files.write(dir.resolve("blob"), blob);
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    behaviour = (socket, in, length) -> {
      bodies.add(in.readNBytes((int) length));
      if (heads.get(heads.size() - 1).toLowerCase(Locale.ROOT).contains("\r\nauthorization: basic ")) {
        answer(socket, "202 Accepted", "Location: /v2/app/blobs/uploads/1?_state=y\r\nContent-Length: 0\r\n", "");
      } else {
        answer(socket, "401 Unauthorized", "WWW-Authenticate: Basic realm=\"registry\"\r\nContent-Length: 0\r\n", "");
      }
    };
    credential = new Credential("user", "secret");

    try (Response response = patch(new Request.FileSlice(file, 0, blob.length, n -> { }))) {
      assertEquals(202, response.status());
    }
    assertEquals(2, bodies.size());
    assertArrayEquals(blob, bodies.get(0));
    assertArrayEquals(blob, bodies.get(1));
  }

  @Test
  void aRegistryThatStopsReadingTheUploadTimesOut() throws Exception {
    Path file = Files.write(dir.resolve("blob"), new byte[64 << 20]); // more than the socket buffers hold
    behaviour = (socket, in, length) -> sleepUntilClosed(socket);

    HttpTimeoutException e = assertThrows(HttpTimeoutException.class,
        () -> patch(new Request.FileSlice(file, 0, 64 << 20, n -> { })).close());
    assertTrue(e.getMessage().endsWith(" sent nothing for 1 s (registry-idle-timeout)"), e.getMessage());
  }

  /**
   * Over TLS the write is the TLS library's; the watchdog wakes it too. The server is Java's (as
   * Nexus and Artifactory are), which offers to resume the session of the ping: a direct socket
   * that tried to resume the HTTP client's session failed its handshake (BoringSSL's
   * ATTEMPT_TO_REUSE_SESSION_IN_DIFFERENT_CONTEXT), on pulls from such a registry too.
   */
  @Test
  void aRegistryThatStopsReadingAnUploadOverTlsTimesOut() throws Exception {
    restartWithTls();
    Path file = Files.write(dir.resolve("blob"), new byte[64 << 20]);
    behaviour = (socket, in, length) -> sleepUntilClosed(socket);

    HttpTimeoutException e = assertThrows(HttpTimeoutException.class,
        () -> patch(new Request.FileSlice(file, 0, 64 << 20, n -> { })).close());
    assertTrue(e.getMessage().endsWith(" sent nothing for 1 s (registry-idle-timeout)"), e.getMessage());
    assertTrue(heads.stream().anyMatch(h -> h.startsWith("PATCH ")), heads.toString()); // it went over TLS
  }

  @Test
  void anUploadRefusedBeforeItsBodyIsReadGetsTheRefusalNotABrokenPipe() throws Exception {
    Path file = Files.write(dir.resolve("blob"), new byte[32 << 20]);
    String error = "{\"errors\":[{\"code\":\"SIZE_INVALID\",\"message\":\"too large\"}]}";
    behaviour = (socket, in, length) -> {
      answer(socket, "413 Request Entity Too Large", "Content-Type: application/json\r\nContent-Length: "
          + error.length() + "\r\nConnection: close\r\n", error);
      socket.shutdownOutput();
      in.readNBytes(1 << 20); // reads a little, as a proxy's lingering close does, then goes
    };

    try (Response response = patch(new Request.FileSlice(file, 0, 32 << 20, n -> { }))) {
      assertEquals(413, response.status());
      RegistryException e = response.error("uploading blob", "127.0.0.1", true);
      assertTrue(e.getMessage().contains("refuses requests this large"), e.getMessage());
    }
  }

  @Test
  void aChunkedErrorAnswerIsDecoded() throws Exception {
    Path file = Files.write(dir.resolve("blob"), random(1000));
    behaviour = (socket, in, length) -> {
      in.readNBytes((int) length);
      String chunked = Integer.toHexString(10) + ";ext=1\r\n" + ERROR.substring(0, 10) + "\r\n"
          + Integer.toHexString(ERROR.length() - 10) + "\r\n" + ERROR.substring(10) + "\r\n0\r\nTrailer: x\r\n\r\n";
      answer(socket, "400 Bad Request", "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", chunked);
    };

    try (Response response = patch(new Request.FileSlice(file, 0, 1000, n -> { }))) {
      assertEquals(400, response.status());
      assertTrue(response.error("uploading blob", "127.0.0.1", true).hasCode("BLOB_UPLOAD_INVALID"));
    }
  }

  @Test
  void aChunkedBodyEndsAtItsLastChunk() throws IOException {
    byte[] framed = "3\r\nabc\r\n2;name=value\r\nde\r\n0\r\n\r\nafter".getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayInputStream in = new ByteArrayInputStream(framed);
    assertEquals("abcde", new String(new ChunkedBody(in).readAllBytes(), StandardCharsets.ISO_8859_1));
    assertEquals("after", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    byte[] cut = "5\r\nab".getBytes(StandardCharsets.ISO_8859_1);
    assertThrows(IOException.class, () -> new ChunkedBody(new ByteArrayInputStream(cut)).readAllBytes());
    byte[] bad = "zz\r\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThrows(IOException.class, () -> new ChunkedBody(new ByteArrayInputStream(bad)).readAllBytes());
  }

  private Response patch(Request.FileSlice slice) throws IOException {
    String name = "127.0.0.1:" + server.getLocalPort();
    String insecure = server instanceof SSLServerSocket ? name : "http://" + name;
    TransportPolicy policy = TransportPolicy.builder().insecureRegistries(List.of(insecure)).build();
    Registries registries = new Registries(policy,
        credential == null ? CredentialProvider.NONE : CredentialProvider.of(credential))
        .withTimeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5)));
    RegistryClient client = registries.client(name);
    URI uri = client.uri("app/blobs/uploads/1?_state=x");
    Request request = Request.of("PATCH", uri).noTimeout().header("Content-Type", "application/octet-stream")
        .header("Content-Range", slice.start() + "-" + (slice.start() + slice.length() - 1)).body(slice);
    return client.send(request, List.of(Scope.push("app")));
  }

  /** The same server over TLS, with a self-signed certificate (the registry is insecure). */
  private void restartWithTls() throws Exception {
    stop();
    SSLContext context = TestKeystores.serverContext(TestKeystores.selfSigned(dir, "IP:127.0.0.1"));
    server = context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serving = new Thread(this::serve, "raw-registry");
    serving.setDaemon(true);
    serving.start();
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread connection = new Thread(() -> handle(socket), "raw-registry-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void handle(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      heads.add(head);
      if (head.startsWith("GET /v2/ ")) {
        answer(socket, "200 OK", "Content-Length: 2\r\n", "{}");
        return;
      }
      long length = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
          .mapToLong(l -> Long.parseLong(l.substring(15).strip())).findFirst().orElse(0);
      behaviour.patch(socket, in, length);
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed in the head");
      }
      head.append((char) c);
    }
    return head.toString();
  }

  private static void answer(Socket socket, String status, String headers, String body) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("HTTP/1.1 " + status + "\r\n" + headers + "\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Holds the connection without reading from it, until the test is long over. */
  private static void sleepUntilClosed(Socket socket) {
    try {
      Thread.sleep(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return bytes;
  }
}
