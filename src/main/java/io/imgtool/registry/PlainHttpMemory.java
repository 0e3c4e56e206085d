package io.imgtool.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.imgtool.image.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        try {
          JsonNode list = Json.MAPPER.readTree(Files.readAllBytes(file));
          if (list != null && list.isArray()) {
            list.forEach(entry -> known.add(entry.asText()));
          }
        } catch (IOException e) {
          // absent or unreadable: nothing remembered
        }
        return known;
      }

      private void write(Set<String> known) {
        try {
          Files.createDirectories(file.getParent());
          ArrayNode list = Json.array();
          known.forEach(list::add);
          Path temp = Files.createTempFile(file.getParent(), ".plain-http", ".tmp");
          Files.write(temp, Json.bytes(list));
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          // a cache: the next command probes again
        }
      }
    };
  }
}
