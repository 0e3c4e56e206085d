package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The idle timeout counts silence, not time: an upload that a slow registry takes in for longer
 * than the idle timeout, a megabyte at a time, is not cut while its bytes keep going out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExchangeTest {
  private static final int BODY = 24 << 20;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      long read = 0;
      byte[] megabyte = new byte[1 << 20];
      try (InputStream in = exchange.getRequestBody()) {
        for (int n; (n = in.readNBytes(megabyte, 0, megabyte.length)) > 0; read += n) {
          Thread.sleep(150); // more than the whole idle timeout for the body, but never silent for it
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] answer = String.valueOf(read).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(202, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aSlowUploadThatKeepsMovingIsNotCutByTheIdleTimeout() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/app/blobs/uploads/1");
    HttpRequest patch = HttpRequest.newBuilder(uri)
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[BODY])).build();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Timeouts timeouts = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));

    HttpResponse<InputStream> response = Exchange.send(client, patch, timeouts, null);

    assertEquals(202, response.statusCode());
    try (InputStream in = response.body()) {
      assertEquals(String.valueOf(BODY), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
