package io.imgtool.cli;

import java.nio.charset.StandardCharsets;

/**
 * Go's {@code json.Indent(raw, "", "\t")}: new lines and tabs between the tokens of a JSON
 * document, every token kept as it is (strings, numbers, key order), as docker manifest inspect
 * prints a registry's manifest.
 */
final class JsonIndent {
  private JsonIndent() {}

  static String tabs(byte[] raw) {
    String json = new String(raw, StandardCharsets.UTF_8).strip();
    StringBuilder out = new StringBuilder(json.length() * 2);
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < json.length()) {
          out.append(json.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      switch (c) {
        case ' ', '\t', '\n', '\r' -> { }
        case '"' -> {
          inString = true;
          out.append(c);
        }
        case '{', '[' -> {
          out.append(c);
          int next = nextToken(json, i + 1);
          if (next < json.length() && (json.charAt(next) == '}' || json.charAt(next) == ']')) {
            out.append(json.charAt(next)); // empty: {} and [] stay as they are
            i = next;
          } else {
            depth++;
            newline(out, depth);
          }
        }
        case '}', ']' -> {
          depth--;
          newline(out, depth);
          out.append(c);
        }
        case ',' -> {
          out.append(c);
          newline(out, depth);
        }
        case ':' -> out.append(": ");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static int nextToken(String json, int from) {
    int i = from;
    while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
      i++;
    }
    return i;
  }

  private static void newline(StringBuilder out, int depth) {
    out.append('\n');
    out.append("\t".repeat(Math.max(depth, 0)));
  }
}
