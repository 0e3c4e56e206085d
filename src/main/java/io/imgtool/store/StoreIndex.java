package io.imgtool.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Index;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import io.imgtool.image.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * One reading of index.json: its entries, and the rest of the document, which is written back
 * unchanged (annotations or fields another tool put there survive imgtool's updates).
 */
final class StoreIndex {
  private final ObjectNode document;
  private final List<Descriptor> entries;

  private StoreIndex(ObjectNode document, List<Descriptor> entries) {
    this.document = document;
    this.entries = List.copyOf(entries);
  }

  /** The store's index; an empty one when the store has no index.json yet. */
  static StoreIndex read(Layout layout) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(layout.index());
    } catch (NoSuchFileException e) {
      return empty();
    }
    try {
      Index index = Index.parse(bytes);
      return new StoreIndex(Json.parseObject(bytes, "index.json"), index.manifests());
    } catch (InvalidImageException e) {
      throw new StoreException("the store's " + layout.index() + " is damaged (" + e.getMessage()
          + "); repair or remove it", e);
    }
  }

  static StoreIndex empty() {
    ObjectNode document = Json.object();
    document.put("schemaVersion", 2);
    document.put("mediaType", MediaType.OCI_INDEX);
    document.putArray("manifests");
    return new StoreIndex(document, List.of());
  }

  List<Descriptor> entries() {
    return entries;
  }

  StoreIndex withEntries(List<Descriptor> newEntries) {
    ObjectNode copy = document.deepCopy();
    ArrayNode array = copy.putArray("manifests");
    newEntries.forEach(entry -> array.add(entry.toJson()));
    return new StoreIndex(copy, newEntries);
  }

  void write(Layout layout) throws IOException {
    DurableFiles.replace(layout.index(), Json.bytes(document));
  }
}
