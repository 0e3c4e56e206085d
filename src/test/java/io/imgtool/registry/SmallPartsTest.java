package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import io.imgtool.image.VerifyingInputStream.BlobMismatchException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Location, Link, Retry-After, error advice, redaction, OCI→Docker conversion. */
class SmallPartsTest {
  private static final Digest D = Digest.sha256(new byte[] {1});

  @Test
  void uploadLocationKeepsItsQuery() {
    assertEquals(URI.create("http://r/v2/a/blobs/uploads/u?_state=x&digest=sha256%3Aab"),
        RemoteRepository.withQuery(URI.create("http://r/v2/a/blobs/uploads/u?_state=x"), "digest=sha256%3Aab"));
    assertEquals(URI.create("http://r/u?digest=d"), RemoteRepository.withQuery(URI.create("http://r/u"), "digest=d"));
  }

  @Test
  void nextLinkIsFoundAmongOthers() {
    assertEquals("/v2/_catalog?last=b&n=2",
        Pages.next(List.of("</v2/_catalog?last=a>; rel=\"prev\", </v2/_catalog?last=b&n=2>; rel=\"next\"")).get());
    assertTrue(Pages.next(List.of()).isEmpty());
  }

  /**
   * Found by RegistryHeadersFuzzTest (its seed link-not-a-url): a next link with a space or a
   * control character made pagination fail with URI's IllegalArgumentException.
   */
  @Test
  void nextLinkThatIsNotAUrlIsRefused() throws Exception {
    String header;
    try (var in = getClass().getResourceAsStream("RegistryHeadersFuzzTestInputs/headers/link-not-a-url")) {
      header = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    RegistryException e = assertThrows(RegistryException.class, () -> Pages.next(List.of(header)));
    assertTrue(e.getMessage().startsWith("the registry's Link header names a next page that is not a URL: "),
        e.getMessage());
    assertThrows(RegistryException.class, () -> Pages.next(List.of("</v2/_catalog?last=a b>; rel=\"next\"")));
  }

  @Test
  void retryAfterIsSecondsOrADate() {
    assertEquals(Duration.ofSeconds(7), Response.parseRetryAfter("7").get());
    assertEquals(Duration.ZERO, Response.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT").get());
    assertTrue(Response.parseRetryAfter("soon").isEmpty());
  }

  @Test
  void errorsSayWhatToDo() {
    byte[] denied = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    RegistryException push = RegistryErrors.of("pushing x", "r.example", 403, denied, true);
    assertTrue(push.hasCode("DENIED"));
    assertTrue(push.getMessage().contains("namespace must exist and belong to the account"), push.getMessage());
    RegistryException login = RegistryErrors.of("pulling x", "r.example", 401, new byte[0], false);
    assertTrue(login.getMessage().endsWith("Log in first: imgtool login r.example"), login.getMessage());
    byte[] invalid = "{\"errors\":[{\"code\":\"MANIFEST_INVALID\"}]}".getBytes(StandardCharsets.UTF_8);
    assertTrue(RegistryErrors.of("p", "r", 400, invalid, true).getMessage().contains("--format docker"));
    assertTrue(RegistryErrors.of("p", "r", 502, new byte[0], true).isRetryable());
    assertFalse(RegistryErrors.of("p", "r", 404, new byte[0], true).isRetryable());
  }

  @Test
  void traceHidesSecrets() {
    assertEquals("Bearer <redacted>", HttpTrace.redactAuthorization("Bearer abc.def.ghi"));
    String uri = HttpTrace.redact(URI.create("https://s3/x?X-Amz-Signature=abc&X-Amz-Credential=k&part=1"));
    assertFalse(uri.contains("abc"), uri);
    assertTrue(uri.contains("part=1"), uri);
    assertFalse(new Credential("u", "hunter2").toString().contains("hunter2"));
  }

  @Test
  void ociManifestBecomesDockerOnlyWhenNothingIsLost() {
    Descriptor config = Descriptor.of(MediaType.OCI_CONFIG, D, 1);
    Descriptor gzip = Descriptor.of(MediaType.OCI_LAYER_GZIP, D, 1);
    Manifest plain = Manifest.create(Format.OCI, config, List.of(gzip), Map.of());
    Manifest docker = ManifestConversion.toDocker(plain).orElseThrow();
    assertEquals(MediaType.DOCKER_MANIFEST, docker.mediaType());
    assertEquals(MediaType.DOCKER_CONFIG, docker.config().mediaType());
    assertEquals(MediaType.DOCKER_LAYER_GZIP, docker.layers().get(0).mediaType());

    assertTrue(ManifestConversion.toDocker(
        Manifest.create(Format.OCI, config, List.of(gzip), Map.of("a", "b"))).isEmpty());
    assertTrue(ManifestConversion.toDocker(Manifest.create(Format.OCI, config,
        List.of(Descriptor.of(MediaType.OCI_LAYER_ZSTD, D, 1)), Map.of())).isEmpty());
    assertTrue(ManifestConversion.toDocker(Manifest.create(Format.OCI, config,
        List.of(gzip.withAnnotation("k", "v")), Map.of())).isEmpty());
  }

  @Test
  void retryBackoffGrowsAndHonoursRetryAfter() {
    RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));
    Exception io = new java.io.IOException("reset");
    long first = Retry.delay(policy, 1, io).toMillis();
    long fourth = Retry.delay(policy, 4, io).toMillis();
    assertTrue(first >= 50 && first <= 100, "first " + first);
    assertTrue(fourth >= 400 && fourth <= 800, "fourth " + fourth);
    RegistryException throttled = new RegistryException("x", 429, List.of(), true, Duration.ofSeconds(3));
    assertEquals(Duration.ofSeconds(3), Retry.delay(policy, 1, throttled));
    assertFalse(Retry.isTransient(new java.net.ConnectException("refused")));
    assertTrue(Retry.isTransient(new java.net.http.HttpTimeoutException("slow")));
  }

  @Test
  void aBlobServedWrongIsNotRetriedButOneCutShortIs() {
    assertFalse(Retry.isTransient(new BlobMismatchException("blob is corrupt: its content hashes to x")));
    assertFalse(Retry.isTransient(new BlobMismatchException("blob is longer than the 9 bytes declared")));
    assertFalse(Retry.isTransient(new java.io.UncheckedIOException(new BlobMismatchException("corrupt"))));
    assertTrue(Retry.isTransient(new BlobMismatchException("blob is 3 bytes instead of 9", true)));
  }

  @Test
  void refusedConnectionIsNamedEvenWithoutMessages() {
    // What java.net.http gives for a port with nothing listening: no message at any level.
    java.net.ConnectException connect = new java.net.ConnectException();
    connect.initCause(new java.nio.channels.ClosedChannelException());
    Exception refused = new java.io.IOException(null, connect);
    assertTrue(RegistryClient.describe(refused).startsWith("connection refused"), RegistryClient.describe(refused));
  }
}
