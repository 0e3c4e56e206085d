package io.imgtool.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import java.io.IOException;
import java.util.List;

/**
 * Docker's image manifest schema 1, which Docker stopped pulling and registries re-sign on every
 * request (so its digest never holds). It is refused at once, with the way out, as Docker does.
 */
final class Schema1 {
  private Schema1() {}

  /** Whether the bytes are a JSON document with {@code "schemaVersion": 1}. */
  static boolean isSchema1(byte[] bytes) {
    try {
      JsonNode version = Json.tree(bytes).get("schemaVersion");
      return version != null && version.isInt() && version.asInt() == 1;
    } catch (IOException | RuntimeException e) {
      return false; // not JSON: the manifest parser says so
    }
  }

  static RegistryException unsupported(String what) {
    return new RegistryException(what + " uses Docker image manifest schema 1, which Docker deprecated in"
        + " 2017 and no longer pulls; imgtool cannot use it. Push the image again with a current client"
        + " (docker push, or skopeo copy --format v2s2) to store it as schema 2", 0, List.of(), false);
  }
}
