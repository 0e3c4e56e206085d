package io.imgtool.registry.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON bytes as Go's encoding/json writes them, since the tools that made most images in the
 * world are written in Go: {@code json.Marshal} (compact) and {@code json.MarshalIndent(v, "",
 * indent)} (docker push writes manifests with 3 spaces). Keys keep the order of the node; strings
 * are escaped as Go does, including {@code <}, {@code >} and {@code &} as \u003c, \u003e, \u0026.
 */
final class GoJson {
  private GoJson() {}

  static byte[] compact(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, null, 0, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] indented(JsonNode node, String indent) {
    StringBuilder out = new StringBuilder();
    write(node, indent, 0, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode node, String indent, int depth, StringBuilder out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      out.append('{');
      for (boolean first = true; fields.hasNext(); first = false) {
        Map.Entry<String, JsonNode> field = fields.next();
        separate(first, indent, depth + 1, out);
        string(field.getKey(), out);
        out.append(indent == null ? ":" : ": ");
        write(field.getValue(), indent, depth + 1, out);
      }
      close(node.isEmpty(), indent, depth, '}', out);
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        separate(i == 0, indent, depth + 1, out);
        write(node.get(i), indent, depth + 1, out);
      }
      close(node.isEmpty(), indent, depth, ']', out);
    } else if (node.isTextual()) {
      string(node.textValue(), out);
    } else {
      out.append(node.toString()); // numbers, booleans, null
    }
  }

  private static void separate(boolean first, String indent, int depth, StringBuilder out) {
    if (!first) {
      out.append(',');
    }
    newline(indent, depth, out);
  }

  private static void close(boolean empty, String indent, int depth, char bracket, StringBuilder out) {
    if (!empty) {
      newline(indent, depth, out);
    }
    out.append(bracket);
  }

  private static void newline(String indent, int depth, StringBuilder out) {
    if (indent != null) {
      out.append('\n').append(indent.repeat(depth));
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
