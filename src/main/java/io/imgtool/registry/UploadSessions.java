package io.imgtool.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Digest;
import io.imgtool.image.Json;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers, across processes, the upload session of each chunked blob upload that has not
 * finished, so that a push that was killed or lost its network continues where the registry
 * stands instead of sending the layer again. Only the session's location is kept (a URL the
 * registry made for this upload; no credential or token), by registry, repository and digest.
 * A cache: a wrong or lost entry costs only an upload from the start, so I/O errors are ignored.
 */
public interface UploadSessions {
  UploadSessions NONE = new UploadSessions() {
    @Override
    public Optional<URI> find(String registry, String repository, Digest digest) {
      return Optional.empty();
    }

    @Override
    public void record(String registry, String repository, Digest digest, URI session) {}

    @Override
    public void forget(String registry, String repository, Digest digest) {}
  };

  /**
   * Older sessions are not tried: Distribution purges unfinished uploads after a week by default,
   * and an entry that old is more likely garbage than a session.
   */
  Duration MAX_AGE = Duration.ofDays(7);

  /** How many unfinished uploads are remembered per registry, the oldest going first. */
  int PER_REGISTRY = 64;

  /** The session an earlier upload of the blob left open, if one is remembered. */
  Optional<URI> find(String registry, String repository, Digest digest);

  /** Remembers where the upload of the blob stands now. */
  void record(String registry, String repository, Digest digest, URI session);

  /** Forgets the blob's session: the upload finished, or the registry no longer has it. */
  void forget(String registry, String repository, Digest digest);

  /**
   * A JSON object in {@code file}: registry → "repository@digest" → {location, saved (epoch
   * seconds)}, replaced atomically.
   */
  static UploadSessions file(Path file) {
    return new UploadSessions() {
      @Override
      public Optional<URI> find(String registry, String repository, Digest digest) {
        JsonNode entry = CacheFile.read(file).map(root -> root.path(registry).path(key(repository, digest)))
            .orElse(null);
        if (entry == null || !entry.path("location").isTextual()) {
          return Optional.empty();
        }
        Instant saved = Instant.ofEpochSecond(entry.path("saved").asLong(0));
        if (saved.plus(MAX_AGE).isBefore(Instant.now())) {
          return Optional.empty();
        }
        try {
          return Optional.of(URI.create(entry.path("location").asText()));
        } catch (IllegalArgumentException e) {
          return Optional.empty(); // a damaged entry
        }
      }

      @Override
      public synchronized void record(String registry, String repository, Digest digest, URI session) {
        Map<String, ObjectNode> known = entries(registry);
        known.remove(key(repository, digest)); // re-inserted as the newest
        ObjectNode entry = Json.object();
        entry.put("location", session.toString());
        entry.put("saved", Instant.now().getEpochSecond());
        known.put(key(repository, digest), entry);
        Iterator<String> oldest = known.keySet().iterator();
        for (int excess = known.size() - PER_REGISTRY; excess > 0; excess--) {
          oldest.next();
          oldest.remove();
        }
        write(registry, known);
      }

      @Override
      public synchronized void forget(String registry, String repository, Digest digest) {
        Map<String, ObjectNode> known = entries(registry);
        if (known.remove(key(repository, digest)) != null) {
          write(registry, known);
        }
      }

      private Map<String, ObjectNode> entries(String registry) {
        Map<String, ObjectNode> known = new LinkedHashMap<>();
        CacheFile.read(file).map(root -> root.path(registry)).filter(JsonNode::isObject).ifPresent(entries ->
            entries.fields().forEachRemaining(e -> {
              if (e.getValue().isObject()) {
                known.put(e.getKey(), (ObjectNode) e.getValue());
              }
            }));
        return known;
      }

      private void write(String registry, Map<String, ObjectNode> known) {
        ObjectNode root = CacheFile.read(file).filter(JsonNode::isObject).map(n -> (ObjectNode) n)
            .orElseGet(Json::object);
        if (known.isEmpty()) {
          root.remove(registry);
        } else {
          ObjectNode entries = root.putObject(registry);
          known.forEach(entries::set);
        }
        CacheFile.write(file, root);
      }

      private static String key(String repository, Digest digest) {
        return repository + "@" + digest;
      }
    };
  }
}
