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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings file, with the keys Docker users know from daemon.json. A missing file means
 * the defaults; a malformed one is an error naming the file. The registry timeouts are null when
 * not set: the library's defaults apply.
 */
record Settings(List<String> insecureRegistries, List<String> registryMirrors, int maxConcurrentUploads,
    Duration registryIdleTimeout, Duration registryReadTimeout, long uploadChunkSize) {
  static final int DEFAULT_CONCURRENT_UPLOADS = 4;
  static final long DEFAULT_UPLOAD_CHUNK_SIZE = 64L << 20;
  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(|B|KB|KiB|MB|MiB|GB|GiB)");

  static Settings defaults() {
    return new Settings(List.of(), List.of(), DEFAULT_CONCURRENT_UPLOADS, null, null, DEFAULT_UPLOAD_CHUNK_SIZE);
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
        seconds(json, "registry-idle-timeout", file), seconds(json, "registry-read-timeout", file),
        chunkSize(json.get("upload-chunk-size"), file));
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

  /** {@code upload-chunk-size}: bytes as a number, or a string such as "64MiB" or "100MB". */
  private static long chunkSize(JsonNode value, Path file) {
    if (value == null) {
      return DEFAULT_UPLOAD_CHUNK_SIZE;
    }
    Matcher m = SIZE.matcher(value.asText().strip());
    long bytes = value.isIntegralNumber() ? value.asLong() : -1;
    if (value.isTextual() && m.matches()) {
      long unit = switch (m.group(2)) {
        case "KB" -> 1000L;
        case "KiB" -> 1L << 10;
        case "MB" -> 1000L * 1000;
        case "MiB" -> 1L << 20;
        case "GB" -> 1000L * 1000 * 1000;
        case "GiB" -> 1L << 30;
        default -> 1;
      };
      bytes = Long.parseLong(m.group(1)) * unit;
    }
    if (bytes < 1) {
      throw new UsageException("settings file " + file + ": upload-chunk-size must be a positive size in bytes,"
          + " or a string such as \"64MiB\"");
    }
    return bytes;
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
