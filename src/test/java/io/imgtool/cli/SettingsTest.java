package io.imgtool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path dir;

  private Settings read(String json) throws Exception {
    return Settings.read(Files.writeString(dir.resolve("config.json"), json));
  }

  @Test
  void uploadChunkSizeIsBytesOrASizeWithItsUnit() throws Exception {
    assertEquals(64L << 20, read("{}").uploadChunkSize());
    assertEquals(64L << 20, Settings.read(dir.resolve("absent.json")).uploadChunkSize());
    assertEquals(1_000_000L, read("{\"upload-chunk-size\": 1000000}").uploadChunkSize());
    assertEquals(16L << 20, read("{\"upload-chunk-size\": \"16MiB\"}").uploadChunkSize());
    assertEquals(100_000_000L, read("{\"upload-chunk-size\": \"100MB\"}").uploadChunkSize());
    assertEquals(2L << 30, read("{\"upload-chunk-size\": \"2 GiB\"}").uploadChunkSize());
  }

  @Test
  void aBadUploadChunkSizeNamesTheFileAndTheKey() {
    for (String bad : new String[] {"0", "-5", "\"64 parsecs\"", "\"\"", "true"}) {
      UsageException e = assertThrows(UsageException.class, () -> read("{\"upload-chunk-size\": " + bad + "}"));
      assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("upload-chunk-size"),
          e.getMessage());
    }
  }
}
