package io.imgtool.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One entry of an image config's history, as Docker records it. */
public record History(
    String created, String createdBy, String author, String comment, boolean emptyLayer) {

  public static History fromJson(JsonNode node) {
    return new History(
        Json.text(node, "created"),
        Json.text(node, "created_by"),
        Json.text(node, "author"),
        Json.text(node, "comment"),
        node.path("empty_layer").asBoolean(false));
  }

  /** The JSON Docker writes: absent fields left out, empty_layer only when true. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    putIfPresent(node, "created", created);
    putIfPresent(node, "created_by", createdBy);
    putIfPresent(node, "author", author);
    putIfPresent(node, "comment", comment);
    if (emptyLayer) {
      node.put("empty_layer", true);
    }
    return node;
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }
}
