package io.imgtool.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** An image index (OCI) or manifest list (Docker): exact bytes beside a parsed view. */
public final class Index {
  private final byte[] raw;
  private final ObjectNode json;

  private Index(byte[] raw, ObjectNode json) {
    this.raw = raw.clone();
    this.json = json;
  }

  public static Index parse(byte[] raw) {
    ObjectNode json = Json.parseObject(raw, "image index");
    JsonNode manifests = json.get("manifests");
    if (manifests == null || !manifests.isArray()) {
      throw new InvalidImageException("image index has no manifests array");
    }
    manifests.forEach(Descriptor::fromJson);
    return new Index(raw, json);
  }

  /** A new OCI index holding the given descriptors. */
  public static Index create(List<Descriptor> manifests) {
    ObjectNode json = Json.object();
    json.put("schemaVersion", 2);
    json.put("mediaType", MediaType.OCI_INDEX);
    ArrayNode array = json.putArray("manifests");
    manifests.forEach(d -> array.add(d.toJson()));
    return new Index(Json.bytes(json), json);
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public Digest digest() {
    return Digest.sha256(raw);
  }

  public String mediaType() {
    String declared = Json.text(json, "mediaType");
    return declared != null ? declared : MediaType.OCI_INDEX;
  }

  public List<Descriptor> manifests() {
    List<Descriptor> result = new ArrayList<>();
    json.get("manifests").forEach(node -> result.add(Descriptor.fromJson(node)));
    return result;
  }
}
