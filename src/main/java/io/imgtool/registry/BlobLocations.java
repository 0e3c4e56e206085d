package io.imgtool.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Digest;
import io.imgtool.image.Json;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers, across processes, which repository of a registry received a blob, so that a later
 * push of the same layers to another repository there mounts them instead of uploading them
 * again, as Docker's push does with its v2 metadata. A cache: a wrong or lost entry costs only
 * an upload (a mount that fails falls back to one), so I/O errors are ignored.
 */
public interface BlobLocations {
  BlobLocations NONE = new BlobLocations() {
    @Override
    public Map<Digest, String> repositories(String registry) {
      return Map.of();
    }

    @Override
    public void record(String registry, String repository, Collection<Digest> digests) {}
  };

  /**
   * How many blobs are remembered per registry, the oldest going first: enough for the images of
   * a workstation or a CI runner, small enough (about 100 KB) to read on every push.
   */
  int PER_REGISTRY = 1024;

  /** For each remembered blob of {@code registry}, the repository that last received it. */
  Map<Digest, String> repositories(String registry);

  /** Records that {@code repository} of {@code registry} holds these blobs now. */
  void record(String registry, String repository, Collection<Digest> digests);

  /** A JSON object in {@code file}, registry → digest → repository, replaced atomically. */
  static BlobLocations file(Path file) {
    return new BlobLocations() {
      @Override
      public Map<Digest, String> repositories(String registry) {
        Map<Digest, String> known = new LinkedHashMap<>();
        read().getOrDefault(registry, Map.of()).forEach((digest, repository) -> {
          try {
            known.put(Digest.parse(digest), repository);
          } catch (RuntimeException e) {
            // a damaged entry: skipped
          }
        });
        return known;
      }

      @Override
      public synchronized void record(String registry, String repository, Collection<Digest> digests) {
        Map<String, Map<String, String>> all = read();
        Map<String, String> known = all.computeIfAbsent(registry, r -> new LinkedHashMap<>());
        for (Digest digest : digests) {
          known.remove(digest.toString()); // re-inserted as the newest
          known.put(digest.toString(), repository);
        }
        Iterator<String> oldest = known.keySet().iterator();
        for (int excess = known.size() - PER_REGISTRY; excess > 0; excess--) {
          oldest.next();
          oldest.remove();
        }
        write(all);
      }

      private Map<String, Map<String, String>> read() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        CacheFile.read(file).filter(JsonNode::isObject).ifPresent(root ->
            root.fields().forEachRemaining(registry -> {
              Map<String, String> known = new LinkedHashMap<>();
              registry.getValue().fields().forEachRemaining(e -> known.put(e.getKey(), e.getValue().asText()));
              all.put(registry.getKey(), known);
            }));
        return all;
      }

      private void write(Map<String, Map<String, String>> all) {
        ObjectNode root = Json.object();
        all.forEach((registry, known) -> {
          ObjectNode blobs = root.putObject(registry);
          known.forEach(blobs::put);
        });
        CacheFile.write(file, root);
      }
    };
  }
}
