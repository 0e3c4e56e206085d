package io.imgtool.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An image configuration (the JSON whose digest is the image ID). Like {@link Manifest} it keeps
 * the exact bytes; changes are made on a copy of the tree ({@link #toJson()}) and turned back
 * into a new config with {@link #of(ObjectNode)}, so unknown fields are preserved.
 */
public final class ImageConfig {
  private final byte[] raw;
  private final ObjectNode json;
  private final Digest digest;

  private ImageConfig(byte[] raw, ObjectNode json) {
    this.raw = raw.clone();
    this.json = json;
    this.digest = Digest.sha256(raw);
  }

  public static ImageConfig parse(byte[] raw) {
    ObjectNode json = Json.parseObject(raw, "image config");
    JsonNode rootfs = json.get("rootfs");
    if (rootfs != null && !rootfs.isObject()) {
      throw new InvalidImageException("image config rootfs is not an object");
    }
    ImageConfig config = new ImageConfig(raw, json);
    config.diffIds(); // validates
    return config;
  }

  public static ImageConfig of(ObjectNode json) {
    return new ImageConfig(Json.bytes(json), json.deepCopy());
  }

  public byte[] bytes() {
    return raw.clone();
  }

  /** The config digest, which is the image ID. */
  public Digest digest() {
    return digest;
  }

  public long size() {
    return raw.length;
  }

  public List<Digest> diffIds() {
    List<Digest> result = new ArrayList<>();
    JsonNode rootfs = json.get("rootfs");
    JsonNode ids = rootfs == null ? null : rootfs.get("diff_ids");
    if (ids != null) {
      if (!ids.isArray()) {
        throw new InvalidImageException("image config rootfs.diff_ids is not an array");
      }
      for (JsonNode id : ids) {
        if (!id.isTextual() || !Digest.isValid(id.asText())) {
          throw new InvalidImageException("image config has an invalid diff_id: " + id);
        }
        result.add(Digest.parse(id.asText()));
      }
    }
    return result;
  }

  public List<History> history() {
    List<History> result = new ArrayList<>();
    JsonNode history = json.get("history");
    if (history != null && history.isArray()) {
      history.forEach(entry -> result.add(History.fromJson(entry)));
    }
    return result;
  }

  public String created() {
    return Json.text(json, "created");
  }

  public String author() {
    return Json.text(json, "author");
  }

  public String os() {
    return Json.text(json, "os");
  }

  public String architecture() {
    return Json.text(json, "architecture");
  }

  public String variant() {
    return Json.text(json, "variant");
  }

  /** The container defaults ({@code config} field): Cmd, Env, ... ; empty when absent. */
  public ObjectNode containerConfig() {
    JsonNode config = json.get("config");
    return config != null && config.isObject() ? ((ObjectNode) config).deepCopy() : Json.object();
  }

  public ObjectNode toJson() {
    return json.deepCopy();
  }
}
