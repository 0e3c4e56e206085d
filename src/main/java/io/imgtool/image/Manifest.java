package io.imgtool.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image manifest (OCI or Docker v2 schema 2): the exact bytes that were hashed, beside a
 * parsed view. The bytes are what gets stored and pushed; a manifest read from elsewhere is
 * never re-serialised.
 */
public final class Manifest {
  private final byte[] raw;
  private final ObjectNode json;
  private final Digest digest;

  private Manifest(byte[] raw, ObjectNode json) {
    this.raw = raw.clone();
    this.json = json;
    this.digest = Digest.sha256(raw);
  }

  public static Manifest parse(byte[] raw) {
    ObjectNode json = Json.parseObject(raw, "manifest");
    JsonNode schema = json.get("schemaVersion");
    if (schema == null || schema.asInt() != 2) {
      throw new InvalidImageException("manifest schemaVersion is not 2");
    }
    String mediaType = Json.text(json, "mediaType");
    if (mediaType != null && !MediaType.isManifest(mediaType)) {
      throw new InvalidImageException("not an image manifest: " + mediaType);
    }
    Descriptor.fromJson(json.get("config"));
    JsonNode layers = json.get("layers");
    if (layers == null || !layers.isArray()) {
      throw new InvalidImageException("manifest has no layers array");
    }
    layers.forEach(Descriptor::fromJson);
    return new Manifest(raw, json);
  }

  /** A new manifest in the given format; annotations may be empty. */
  public static Manifest create(
      Format format, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
    ObjectNode json = Json.object();
    json.put("schemaVersion", 2);
    json.put("mediaType", format.manifestMediaType());
    json.set("config", config.toJson());
    ArrayNode array = json.putArray("layers");
    layers.forEach(layer -> array.add(layer.toJson()));
    if (!annotations.isEmpty()) {
      ObjectNode node = json.putObject("annotations");
      annotations.forEach(node::put);
    }
    return new Manifest(Json.bytes(json), json);
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public Digest digest() {
    return digest;
  }

  public long size() {
    return raw.length;
  }

  /** The declared media type, or the one implied by the config (OCI allows omitting it). */
  public String mediaType() {
    String declared = Json.text(json, "mediaType");
    if (declared != null) {
      return declared;
    }
    return MediaType.DOCKER_CONFIG.equals(config().mediaType())
        ? MediaType.DOCKER_MANIFEST
        : MediaType.OCI_MANIFEST;
  }

  public Format format() {
    return Format.ofManifest(mediaType());
  }

  public Descriptor config() {
    return Descriptor.fromJson(json.get("config"));
  }

  public List<Descriptor> layers() {
    List<Descriptor> result = new ArrayList<>();
    json.get("layers").forEach(node -> result.add(Descriptor.fromJson(node)));
    return result;
  }

  /** A descriptor of this manifest, as an index or a registry refers to it. */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType(), digest, raw.length);
  }

  public ObjectNode toJson() {
    return json.deepCopy();
  }
}
