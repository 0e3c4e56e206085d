package io.imgtool.cli.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Go's template built-ins (and, or, not, len, index, slice, print, printf, println, eq, ne, lt,
 * le, gt, ge, html, urlquery) and the ones Docker adds (json, join, split, lower, upper, title,
 * pad, truncate).
 */
final class Functions {
  private static final Set<String> NAMES = Set.of("and", "or", "not", "len", "index", "slice", "print",
      "printf", "println", "eq", "ne", "lt", "le", "gt", "ge", "html", "urlquery", "json", "join", "split",
      "lower", "upper", "title", "pad", "truncate");

  private Functions() {}

  static boolean exists(String name) {
    return NAMES.contains(name);
  }

  static JsonNode call(String name, List<Supplier<JsonNode>> lazy, int line) {
    try {
      switch (name) {
        case "and" -> {
          return and(lazy, line);
        }
        case "or" -> {
          return or(lazy, line);
        }
        default -> {
          List<JsonNode> args = new ArrayList<>();
          lazy.forEach(arg -> args.add(arg.get()));
          return eager(name, args);
        }
      }
    } catch (Failure failure) {
      throw TemplateException.exec(":" + line + ": error calling " + name + ": " + failure.getMessage());
    }
  }

  /** A function refused its arguments; Go's message follows "error calling NAME: ". */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message);
    }
  }

  private static JsonNode and(List<Supplier<JsonNode>> args, int line) {
    needAtLeast("and", args.size(), 1, line);
    JsonNode value = null;
    for (Supplier<JsonNode> arg : args) {
      value = arg.get();
      if (!Values.truth(value)) {
        return value;
      }
    }
    return value;
  }

  private static JsonNode or(List<Supplier<JsonNode>> args, int line) {
    needAtLeast("or", args.size(), 1, line);
    JsonNode value = null;
    for (Supplier<JsonNode> arg : args) {
      value = arg.get();
      if (Values.truth(value)) {
        return value;
      }
    }
    return value;
  }

  private static void needAtLeast(String name, int given, int wanted, int line) {
    if (given < wanted) {
      throw TemplateException.exec(":" + line + ": wrong number of args for " + name + ": want at least "
          + wanted + " got " + given);
    }
  }

  private static JsonNode eager(String name, List<JsonNode> args) {
    return switch (name) {
      case "not" -> Values.NODES.booleanNode(!Values.truth(exactly(name, args, 1).get(0)));
      case "len" -> len(exactly(name, args, 1).get(0));
      case "index" -> index(args);
      case "slice" -> slice(args);
      case "print" -> Values.text(print(args));
      case "println" -> Values.text(println(args));
      case "printf" -> Values.text(Printf.format(text(atLeast(name, args, 1).get(0)), args.subList(1, args.size())));
      case "eq" -> Values.NODES.booleanNode(eq(atLeast(name, args, 2)));
      case "ne" -> Values.NODES.booleanNode(compare(exactly(name, args, 2)) != 0);
      case "lt" -> Values.NODES.booleanNode(compare(exactly(name, args, 2)) < 0);
      case "le" -> Values.NODES.booleanNode(compare(exactly(name, args, 2)) <= 0);
      case "gt" -> Values.NODES.booleanNode(compare(exactly(name, args, 2)) > 0);
      case "ge" -> Values.NODES.booleanNode(compare(exactly(name, args, 2)) >= 0);
      case "html" -> Values.text(html(print(args)));
      case "urlquery" -> Values.text(URLEncoder.encode(print(args), StandardCharsets.UTF_8));
      case "json" -> Values.text(json(exactly(name, args, 1).get(0)));
      case "join" -> Values.text(join(exactly(name, args, 2)));
      case "split" -> split(exactly(name, args, 2));
      case "lower" -> Values.text(text(exactly(name, args, 1).get(0)).toLowerCase(Locale.ROOT));
      case "upper" -> Values.text(text(exactly(name, args, 1).get(0)).toUpperCase(Locale.ROOT));
      case "title" -> Values.text(title(text(exactly(name, args, 1).get(0))));
      case "pad" -> Values.text(pad(exactly(name, args, 3)));
      case "truncate" -> Values.text(truncate(exactly(name, args, 2)));
      default -> throw new Failure("function \"" + name + "\" not defined");
    };
  }

  private static List<JsonNode> exactly(String name, List<JsonNode> args, int count) {
    if (args.size() != count) {
      throw new Failure("wrong number of args for " + name + ": want " + count + " got " + args.size());
    }
    return args;
  }

  private static List<JsonNode> atLeast(String name, List<JsonNode> args, int count) {
    if (args.size() < count) {
      throw new Failure("wrong number of args for " + name + ": want at least " + count + " got " + args.size());
    }
    return args;
  }

  private static String text(JsonNode value) {
    if (value == null || !value.isTextual()) {
      throw new Failure("wrong type for value; expected string; got " + Values.typeName(value));
    }
    return value.asText();
  }

  private static long integer(JsonNode value) {
    if (value == null || !value.isIntegralNumber()) {
      throw new Failure("cannot index slice/array with type " + Values.typeName(value));
    }
    return value.asLong();
  }

  private static JsonNode len(JsonNode value) {
    if (value.isTextual()) {
      return Values.NODES.numberNode(value.asText().getBytes(StandardCharsets.UTF_8).length);
    }
    if (value.isArray() || value.isObject()) {
      return Values.NODES.numberNode(value.size());
    }
    if (value.isNull() || value.isMissingNode()) {
      return Values.NODES.numberNode(0);
    }
    throw new Failure("len of type " + Values.typeName(value));
  }

  /**
   * {@code index .RepoDigests 0}, {@code index .Config.Labels "key"}: out of range is an error,
   * as in Go; a missing key of a map of strings (Labels) is "", as Docker's typed maps give.
   */
  private static JsonNode index(List<JsonNode> args) {
    if (args.isEmpty()) {
      throw new Failure("wrong number of args for index: want at least 1 got 0");
    }
    JsonNode item = args.get(0);
    for (JsonNode key : args.subList(1, args.size())) {
      if (item.isArray()) {
        long i = integer(key);
        if (i < 0 || i >= item.size()) {
          throw new Failure("index out of range: " + i);
        }
        item = item.get((int) i);
      } else if (item.isObject() || item.isNull() || item.isMissingNode()) {
        if (!key.isTextual()) {
          throw new Failure("value has type " + Values.typeName(key) + "; should be string");
        }
        JsonNode value = item.isObject() ? item.get(key.asText()) : null;
        item = value != null ? value : missingOf(item);
      } else if (item.isTextual()) {
        long i = integer(key);
        byte[] bytes = item.asText().getBytes(StandardCharsets.UTF_8);
        if (i < 0 || i >= bytes.length) {
          throw new Failure("index out of range: " + i);
        }
        item = Values.NODES.numberNode(bytes[(int) i] & 0xff);
      } else {
        throw new Failure("can't index item of type " + Values.typeName(item));
      }
    }
    return item;
  }

  private static JsonNode missingOf(JsonNode map) {
    if (map.isObject()) {
      for (JsonNode value : map) {
        if (!value.isTextual()) {
          return Values.MISSING;
        }
      }
    }
    return Values.text("");
  }

  private static JsonNode slice(List<JsonNode> args) {
    if (args.isEmpty() || args.size() > 3) {
      throw new Failure("wrong number of args for slice: want 1 to 3 got " + args.size());
    }
    JsonNode item = args.get(0);
    int length = item.isTextual() ? item.asText().length() : item.size();
    int from = args.size() > 1 ? (int) integer(args.get(1)) : 0;
    int to = args.size() > 2 ? (int) integer(args.get(2)) : length;
    if (from < 0 || to < from || to > length) {
      throw new Failure("index out of range: " + (to > length ? to : from));
    }
    if (item.isTextual()) {
      return Values.text(item.asText().substring(from, to));
    }
    if (!item.isArray()) {
      throw new Failure("can't slice item of type " + Values.typeName(item));
    }
    ArrayNode result = Values.NODES.arrayNode();
    for (int i = from; i < to; i++) {
      result.add(item.get(i));
    }
    return result;
  }

  /** Go's Sprint: a space between operands when neither is a string. */
  static String print(List<JsonNode> args) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0 && !args.get(i).isTextual() && !args.get(i - 1).isTextual()) {
        out.append(' ');
      }
      out.append(Values.print(args.get(i)));
    }
    return out.toString();
  }

  /** Go's Sprintln: spaces between all operands, and a newline. */
  private static String println(List<JsonNode> args) {
    List<String> parts = new ArrayList<>();
    args.forEach(arg -> parts.add(Values.print(arg)));
    return String.join(" ", parts) + "\n";
  }

  private static boolean eq(List<JsonNode> args) {
    JsonNode first = args.get(0);
    for (JsonNode other : args.subList(1, args.size())) {
      if (equal(first, other)) {
        return true;
      }
    }
    return false;
  }

  private static boolean equal(JsonNode a, JsonNode b) {
    boolean aNil = a.isNull() || a.isMissingNode();
    boolean bNil = b.isNull() || b.isMissingNode();
    if (aNil || bNil) {
      return aNil && bNil;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isTextual() && b.isTextual() || a.isBoolean() && b.isBoolean()) {
      return a.asText().equals(b.asText());
    }
    if (a.isContainerNode() || b.isContainerNode()) {
      throw new Failure("non-comparable type " + Values.typeName(a.isContainerNode() ? a : b));
    }
    throw new Failure("incompatible types for comparison");
  }

  private static int compare(List<JsonNode> args) {
    JsonNode a = args.get(0);
    JsonNode b = args.get(1);
    if (a.isNumber() && b.isNumber()) {
      BigDecimal x = a.decimalValue();
      return x.compareTo(b.decimalValue());
    }
    if (a.isTextual() && b.isTextual()) {
      return Integer.signum(a.asText().compareTo(b.asText()));
    }
    if (a.isBoolean() && b.isBoolean()) {
      if (a.asBoolean() == b.asBoolean()) {
        return 0;
      }
      throw new Failure("invalid type for comparison");
    }
    throw new Failure("incompatible types for comparison");
  }

  private static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&#34;").replace("'", "&#39;").replace("\u0000", "\uFFFD");
  }

  /**
   * Docker's json: compact, HTML characters not escaped, and the keys of what Docker holds as Go
   * maps (Labels, ExposedPorts, Volumes: objects whose values are all strings or all empty
   * objects) sorted, as Go marshals maps; other objects keep their order, as Go's structs do.
   */
  private static String json(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "null";
    }
    try {
      return io.imgtool.image.Json.MAPPER.writeValueAsString(goOrder(value));
    } catch (JsonProcessingException e) {
      throw new Failure(e.getOriginalMessage());
    }
  }

  private static JsonNode goOrder(JsonNode value) {
    if (value.isArray()) {
      ArrayNode copy = Values.NODES.arrayNode();
      value.forEach(item -> copy.add(goOrder(item)));
      return copy;
    }
    if (!value.isObject()) {
      return value;
    }
    boolean strings = true;
    boolean empties = true;
    for (JsonNode item : value) {
      strings &= item.isTextual();
      empties &= item.isObject() && item.isEmpty();
    }
    List<String> keys = new ArrayList<>();
    value.fieldNames().forEachRemaining(keys::add);
    if (strings || empties) {
      keys.sort(null);
    }
    com.fasterxml.jackson.databind.node.ObjectNode copy = Values.NODES.objectNode();
    keys.forEach(key -> copy.set(key, goOrder(value.get(key))));
    return copy;
  }

  private static String join(List<JsonNode> args) {
    JsonNode items = args.get(0);
    String separator = text(args.get(1));
    if (items.isNull() || items.isMissingNode()) {
      return "";
    }
    if (!items.isArray()) {
      throw new Failure("wrong type for value; expected []string; got " + Values.typeName(items));
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode item : items) {
      parts.add(Values.print(item));
    }
    return String.join(separator, parts);
  }

  private static JsonNode split(List<JsonNode> args) {
    String text = text(args.get(0));
    String separator = text(args.get(1));
    ArrayNode parts = Values.NODES.arrayNode();
    if (separator.isEmpty()) {
      text.codePoints().forEach(c -> parts.add(new String(Character.toChars(c))));
      return parts;
    }
    int from = 0;
    for (int at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, from)) {
      parts.add(text.substring(from, at));
      from = at + separator.length();
    }
    parts.add(text.substring(from));
    return parts;
  }

  /** Go's strings.Title: the first letter of each word upper case. */
  private static String title(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean start = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(start ? Character.toTitleCase(c) : c);
      start = !Character.isLetterOrDigit(c) && c != '_' && c != '\'';
    }
    return out.toString();
  }

  private static String pad(List<JsonNode> args) {
    String text = text(args.get(0));
    return " ".repeat((int) Math.max(0, integer(args.get(1)))) + text
        + " ".repeat((int) Math.max(0, integer(args.get(2))));
  }

  private static String truncate(List<JsonNode> args) {
    String text = text(args.get(0));
    long length = integer(args.get(1));
    return text.length() < length ? text : text.substring(0, (int) Math.max(0, length));
  }
}
