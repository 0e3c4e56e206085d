package io.imgtool.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OCI content descriptor. It wraps the JSON object it was read from, so fields imgtool does
 * not model (urls, artifactType, data, ...) survive a round trip.
 */
public final class Descriptor {
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final ObjectNode json;

  private Descriptor(ObjectNode json) {
    this.json = json;
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    ObjectNode json = Json.object();
    json.put("mediaType", mediaType);
    json.put("digest", digest.toString());
    json.put("size", size);
    return new Descriptor(json);
  }

  /** Reads a descriptor, validating the three required fields. */
  public static Descriptor fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InvalidImageException("descriptor is not a JSON object");
    }
    String digest = Json.text(node, "digest");
    if (digest == null || !Digest.isValid(digest)) {
      throw new InvalidImageException("descriptor has an invalid digest: " + node.get("digest"));
    }
    JsonNode size = node.get("size");
    // canConvertToLong: asLong() of 2^64 + 528 is 528, a size the document does not say.
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw new InvalidImageException("descriptor " + digest + " has an invalid size");
    }
    return new Descriptor(((ObjectNode) node).deepCopy());
  }

  public String mediaType() {
    return Json.text(json, "mediaType");
  }

  public Digest digest() {
    return Digest.parse(Json.text(json, "digest"));
  }

  public long size() {
    return json.get("size").asLong();
  }

  public Map<String, String> annotations() {
    Map<String, String> result = new LinkedHashMap<>();
    JsonNode annotations = json.get("annotations");
    if (annotations != null && annotations.isObject()) {
      annotations.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    }
    return result;
  }

  public String annotation(String key) {
    return annotations().get(key);
  }

  /** The platform object of an index entry, or null. */
  public JsonNode platform() {
    return json.get("platform");
  }

  public Descriptor withMediaType(String mediaType) {
    ObjectNode copy = json.deepCopy();
    copy.put("mediaType", mediaType);
    return new Descriptor(copy);
  }

  /** A copy that points at other content, every other field (platform, annotations) kept. */
  public Descriptor withContent(String mediaType, Digest digest, long size) {
    ObjectNode copy = json.deepCopy();
    copy.put("mediaType", mediaType);
    copy.put("digest", digest.toString());
    copy.put("size", size);
    return new Descriptor(copy);
  }

  /** A copy with the annotation set, or removed when value is null. */
  public Descriptor withAnnotation(String key, String value) {
    ObjectNode copy = json.deepCopy();
    ObjectNode annotations = copy.has("annotations") && copy.get("annotations").isObject()
        ? (ObjectNode) copy.get("annotations")
        : copy.putObject("annotations");
    if (value == null) {
      annotations.remove(key);
      if (annotations.isEmpty()) {
        copy.remove("annotations");
      }
    } else {
      annotations.put(key, value);
    }
    return new Descriptor(copy);
  }

  public ObjectNode toJson() {
    return json.deepCopy();
  }

  @Override
  public boolean equals(Object o) {
    // Compared as serialised JSON: a size parsed as an int and one built as a long are equal.
    return o instanceof Descriptor d && d.json.toString().equals(json.toString());
  }

  @Override
  public int hashCode() {
    return json.toString().hashCode();
  }

  @Override
  public String toString() {
    return json.toString();
  }
}
