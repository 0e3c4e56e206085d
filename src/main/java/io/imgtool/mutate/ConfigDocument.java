package io.imgtool.mutate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.History;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import io.imgtool.image.Manifest;
import io.imgtool.image.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The edits a commit makes to an image config tree (a copy; every other field is kept as it
 * is), and the manifest that ties the result together.
 */
final class ConfigDocument {
  private final ObjectNode json;

  ConfigDocument(ObjectNode json) {
    this.json = json;
  }

  /** A config for an image on scratch: the platform, and empty container defaults. */
  static ConfigDocument scratch(Platform platform) {
    if (platform == null) {
      throw new IllegalArgumentException("an image on scratch needs a platform (os/architecture)");
    }
    ObjectNode json = Json.object();
    json.put("created", ""); // set by the caller; first, where people look for it
    json.put("architecture", platform.architecture());
    json.put("os", platform.os());
    if (platform.variant() != null) {
      json.put("variant", platform.variant());
    }
    json.putObject("config");
    ObjectNode rootfs = json.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids");
    json.putArray("history");
    return new ConfigDocument(json);
  }

  ObjectNode json() {
    return json;
  }

  String os() {
    JsonNode os = json.get("os");
    return os != null && os.isTextual() ? os.asText() : "linux";
  }

  ObjectNode containerConfig() {
    JsonNode config = json.get("config");
    return config != null && config.isObject() ? (ObjectNode) config : Json.object();
  }

  void setContainerConfig(ObjectNode config) {
    json.set("config", config);
  }

  void put(String field, String value) {
    json.put(field, value);
  }

  void appendDiffIds(List<NewLayer> layers) {
    JsonNode rootfs = json.get("rootfs");
    ObjectNode node = rootfs != null && rootfs.isObject() ? (ObjectNode) rootfs : json.putObject("rootfs");
    if (!node.has("type")) {
      node.put("type", "layers");
    }
    ArrayNode diffIds = array(node, "diff_ids");
    layers.forEach(layer -> diffIds.add(layer.diffId().toString()));
  }

  void appendHistory(History entry) {
    array(json, "history").add(entry.toJson());
  }

  private static ArrayNode array(ObjectNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return parent.putArray(field);
    }
    if (!node.isArray()) {
      throw new InvalidImageException("image config field " + field + " is not an array");
    }
    return (ArrayNode) node;
  }

  /** The manifest: base layers (renamed if the format changes), then the new layers. */
  static Committed assemble(ImageConfig config, Format format, List<Descriptor> baseLayers,
      Format baseFormat, List<NewLayer> newLayers) {
    List<Descriptor> layers = new ArrayList<>();
    for (Descriptor layer : baseLayers) {
      layers.add(format == baseFormat ? layer : FormatConversion.layer(layer, format));
    }
    for (NewLayer layer : newLayers) {
      layers.add(LayerMediaTypes.forNewLayer(layer.blob(), format));
    }
    Descriptor configDescriptor =
        Descriptor.of(format.configMediaType(), config.digest(), config.size());
    return new Committed(Manifest.create(format, configDescriptor, layers, Map.of()), config);
  }
}
