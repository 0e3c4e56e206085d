package io.imgtool.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.imgtool.image.Json;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Remembers, across processes, which insecure registries answered in plain HTTP, so the next
 * command goes straight to HTTP instead of first trying (and failing) a TLS handshake, which is
 * most of a small push's time. Only consulted for registries the policy already lets use HTTP;
 * a remembered answer that stops working is forgotten and the full probe runs again. Losing or
 * failing to write the file only costs that probe, so I/O errors are ignored.
 */
public interface PlainHttpMemory {
  PlainHttpMemory NONE = new PlainHttpMemory() {
    @Override
    public boolean remembers(String registry) {
      return false;
    }

    @Override
    public void remember(String registry) {}

    @Override
    public void forget(String registry) {}
  };

  boolean remembers(String registry);

  void remember(String registry);

  void forget(String registry);

  /** A JSON list of registries in {@code file}, replaced atomically on change. */
  static PlainHttpMemory file(Path file) {
    return new PlainHttpMemory() {
      @Override
      public boolean remembers(String registry) {
        return read().contains(registry);
      }

      @Override
      public synchronized void remember(String registry) {
        Set<String> known = read();
        if (known.add(registry)) {
          write(known);
        }
      }

      @Override
      public synchronized void forget(String registry) {
        Set<String> known = read();
        if (known.remove(registry)) {
          write(known);
        }
      }

      private Set<String> read() {
        Set<String> known = new TreeSet<>();
        CacheFile.read(file).filter(JsonNode::isArray)
            .ifPresent(list -> list.forEach(entry -> known.add(entry.asText())));
        return known;
      }

      private void write(Set<String> known) {
        ArrayNode list = Json.array();
        known.forEach(list::add);
        CacheFile.write(file, list);
      }
    };
  }
}
