package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Digest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadSessionsTest {
  @TempDir Path dir;

  private static final Digest LAYER = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
  private static final URI SESSION = URI.create("http://host:5000/v2/team/app/blobs/uploads/0f1e?_state=abc");

  @Test
  void remembersASessionPerRegistryRepositoryAndDigestUntilForgotten() {
    Path file = dir.resolve("cache/upload-sessions.json");
    UploadSessions.file(file).record("host:5000", "team/app", LAYER, SESSION);

    UploadSessions read = UploadSessions.file(file);
    assertEquals(Optional.of(SESSION), read.find("host:5000", "team/app", LAYER));
    assertTrue(read.find("host:5000", "team/other", LAYER).isEmpty());
    assertTrue(read.find("other:5000", "team/app", LAYER).isEmpty());

    read.forget("host:5000", "team/app", LAYER);
    assertTrue(UploadSessions.file(file).find("host:5000", "team/app", LAYER).isEmpty());
  }

  @Test
  void aSessionOlderThanTheRegistrysPurgeIsNotTried() throws Exception {
    Path file = dir.resolve("upload-sessions.json");
    long old = java.time.Instant.now().minus(UploadSessions.MAX_AGE).getEpochSecond() - 60;
    Files.writeString(file, "{\"host:5000\":{\"team/app@" + LAYER + "\":{\"location\":\"" + SESSION
        + "\",\"saved\":" + old + "}}}");
    assertTrue(UploadSessions.file(file).find("host:5000", "team/app", LAYER).isEmpty());
  }

  @Test
  void aDamagedFileOnlyForgets() throws Exception {
    Path file = Files.writeString(dir.resolve("upload-sessions.json"), "{\"host:5000\": [");
    assertTrue(UploadSessions.file(file).find("host:5000", "team/app", LAYER).isEmpty());
    UploadSessions.file(file).record("host:5000", "team/app", LAYER, SESSION);
    assertEquals(Optional.of(SESSION), UploadSessions.file(file).find("host:5000", "team/app", LAYER));
  }
}
