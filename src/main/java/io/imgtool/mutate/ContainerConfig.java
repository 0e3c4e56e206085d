package io.imgtool.mutate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed access to the container defaults of an image config (its {@code config} object: Cmd,
 * Env, ExposedPorts, ...), edited in place. Fields the instructions do not touch are left as
 * they are, including ones imgtool does not know.
 */
final class ContainerConfig {
  private final ObjectNode json;

  ContainerConfig(ObjectNode json) {
    this.json = json;
  }

  ObjectNode json() {
    return json;
  }

  /** A string array field; empty when absent or null. */
  List<String> strings(String field) {
    JsonNode node = json.get(field);
    List<String> result = new ArrayList<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (!node.isArray()) {
      throw new InvalidImageException("image config field config." + field + " is not an array");
    }
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw new InvalidImageException("image config field config." + field + " holds a non-string");
      }
      result.add(element.asText());
    }
    return result;
  }

  /** Sets a string array field, or removes it when the list is empty (Docker's omitempty). */
  void setStrings(String field, List<String> values) {
    if (values.isEmpty()) {
      json.remove(field);
      return;
    }
    ArrayNode array = json.putArray(field);
    values.forEach(array::add);
  }

  /** An object field (Labels, ExposedPorts, Volumes), created when absent or null. */
  ObjectNode object(String field) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return json.putObject(field);
    }
    if (!node.isObject()) {
      throw new InvalidImageException("image config field config." + field + " is not an object");
    }
    return (ObjectNode) node;
  }

  String text(String field) {
    String value = Json.text(json, field);
    return value == null ? "" : value;
  }

  void setText(String field, String value) {
    json.put(field, value);
  }

  void setArgsEscaped(boolean escaped) {
    if (escaped) {
      json.put("ArgsEscaped", true);
    } else {
      json.remove("ArgsEscaped"); // false is omitted, as Docker writes it
    }
  }

  /** The environment for variable substitution: KEY=VALUE entries, a later entry winning. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : strings("Env")) {
      int equals = entry.indexOf('=');
      if (equals < 0) {
        env.put(entry, "");
      } else {
        env.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    return env;
  }

  /** Sets KEY=VALUE, replacing an existing entry for KEY in place (as Docker's ENV does). */
  void setEnv(String key, String value) {
    List<String> env = strings("Env");
    String entry = key + "=" + value;
    boolean replaced = false;
    for (int i = 0; i < env.size() && !replaced; i++) {
      String existing = env.get(i);
      int equals = existing.indexOf('=');
      if ((equals < 0 ? existing : existing.substring(0, equals)).equals(key)) {
        env.set(i, entry);
        replaced = true;
      }
    }
    if (!replaced) {
      env.add(entry);
    }
    setStrings("Env", env);
  }
}
