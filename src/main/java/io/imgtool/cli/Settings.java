package io.imgtool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings file, with the keys Docker users know from daemon.json. A missing file means
 * the defaults; a malformed one is an error naming the file. The registry timeouts are null when
 * not set: the library's defaults apply.
 */
record Settings(List<String> insecureRegistries, List<String> registryMirrors, int maxConcurrentUploads,
    Duration registryIdleTimeout, Duration registryReadTimeout) {
  static final int DEFAULT_CONCURRENT_UPLOADS = 4;

  static Settings defaults() {
    return new Settings(List.of(), List.of(), DEFAULT_CONCURRENT_UPLOADS, null, null);
  }

  static Settings read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return defaults();
    }
    ObjectNode json;
    try {
      json = Json.parseObject(Files.readAllBytes(file), "settings file " + file);
    } catch (InvalidImageException e) {
      throw new UsageException(e.getMessage());
    }
    int uploads = DEFAULT_CONCURRENT_UPLOADS;
    JsonNode jobs = json.get("max-concurrent-uploads");
    if (jobs != null) {
      if (!jobs.canConvertToInt() || jobs.asInt() < 1) {
        throw new UsageException("settings file " + file + ": max-concurrent-uploads must be a positive number");
      }
      uploads = jobs.asInt();
    }
    return new Settings(strings(json, "insecure-registries", file), strings(json, "registry-mirrors", file), uploads,
        seconds(json, "registry-idle-timeout", file), seconds(json, "registry-read-timeout", file));
  }

  /** A duration written as seconds, fractions allowed ({@code 30}, {@code 2.5}); null when not set. */
  private static Duration seconds(ObjectNode json, String key, Path file) {
    JsonNode node = json.get(key);
    if (node == null) {
      return null;
    }
    if (!node.isNumber() || node.asDouble() < 0.001 || node.asDouble() > 86_400) {
      throw new UsageException("settings file " + file + ": " + key + " must be a number of seconds"
          + " (at least 0.001, at most 86400)");
    }
    return Duration.ofMillis(Math.round(node.asDouble() * 1000));
  }

  private static List<String> strings(ObjectNode json, String key, Path file) {
    JsonNode node = json.get(key);
    List<String> values = new ArrayList<>();
    if (node == null) {
      return values;
    }
    if (!node.isArray()) {
      throw new UsageException("settings file " + file + ": " + key + " must be a list of strings");
    }
    for (JsonNode value : node) {
      if (!value.isTextual()) {
        throw new UsageException("settings file " + file + ": " + key + " must be a list of strings");
      }
      values.add(value.asText());
    }
    return values;
  }
}
