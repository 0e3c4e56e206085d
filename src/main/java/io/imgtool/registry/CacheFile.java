package io.imgtool.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A small JSON file under the cache directory that saves work across processes. Losing it only
 * costs that work again, so an absent or damaged file reads as nothing, and a write that fails
 * is dropped; a write replaces the file atomically, so a reader never sees half of one.
 */
final class CacheFile {
  private CacheFile() {}

  static Optional<JsonNode> read(Path file) {
    try {
      return Optional.ofNullable(Json.tree(Files.readAllBytes(file)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static void write(Path file, JsonNode content) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
      Files.write(temp, Json.bytes(content));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // a cache: the next command does the work again
    }
  }
}
