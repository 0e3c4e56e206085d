package io.imgtool.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Template values are JSON trees, printed the way Go's fmt prints the values Docker's templates
 * see: strings bare, lists {@code [a b]}, maps {@code map[k:v]} in key order, null {@code <nil>},
 * and a missing field {@code <no value>}.
 */
final class Values {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final JsonNode MISSING = MissingNode.getInstance();

  private Values() {}

  static String print(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "<no value>";
    }
    if (value.isNull()) {
      return "<nil>";
    }
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isNumber()) {
      return number(value);
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.asBoolean());
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(print(item)));
      return "[" + String.join(" ", items) + "]";
    }
    if (value.isObject()) {
      List<String> items = new ArrayList<>();
      for (String key : sortedKeys(value)) {
        items.add(key + ":" + print(value.get(key)));
      }
      return "map[" + String.join(" ", items) + "]";
    }
    return value.asText();
  }

  /** Go's %v: integers in full; other numbers shortest, with an exponent outside 1e-4..1e21. */
  static String number(JsonNode value) {
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    BigDecimal decimal = new BigDecimal(Double.toString(value.doubleValue())).stripTrailingZeros();
    int exponent = decimal.precision() - decimal.scale() - 1;
    if (decimal.signum() == 0) {
      return "0";
    }
    if (exponent < -4 || exponent >= 21) {
      String mantissa = decimal.movePointLeft(exponent).stripTrailingZeros().toPlainString();
      return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
          + Math.abs(exponent);
    }
    return decimal.toPlainString();
  }

  /** Go's truth: false, 0, nil, and empty strings, lists and maps are false. */
  static boolean truth(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return false;
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isNumber()) {
      return value.decimalValue().signum() != 0;
    }
    if (value.isTextual()) {
      return !value.asText().isEmpty();
    }
    return value.size() > 0;
  }

  /** Go ranges over a map in key order. */
  static List<String> sortedKeys(JsonNode object) {
    List<String> keys = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      keys.add(it.next().getKey());
    }
    keys.sort(null);
    return keys;
  }

  /** What Go calls the value's type, for error messages. */
  static String typeName(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "nil";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isIntegralNumber()) {
      return "int";
    }
    if (value.isNumber()) {
      return "float64";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    return value.isArray() ? "[]interface {}" : "map[string]interface {}";
  }

  static JsonNode text(String text) {
    return NODES.textNode(text);
  }
}
