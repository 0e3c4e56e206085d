package io.imgtool.image;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper. Trees keep field order and unknown fields, and decimals are read as
 * BigDecimal (trailing zeros kept) so that a config re-serialised by imgtool keeps the values of
 * fields it does not understand.
 */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
      .disable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /**
   * Reads a JSON tree. Jackson reads decimals as BigDecimal here, and a number BigDecimal cannot
   * hold (an exponent such as {@code 1e400500000000}, found by fuzzing) escapes its parser as a
   * NumberFormatException: it is turned into the JsonParseException every caller already handles.
   */
  public static JsonNode tree(byte[] bytes) throws IOException {
    try {
      return MAPPER.readTree(bytes);
    } catch (NumberFormatException e) {
      throw new JsonParseException(null, "a number out of range (" + e.getMessage() + ")");
    }
  }

  /** Parses a JSON object; throws {@link InvalidImageException} for anything else. */
  public static ObjectNode parseObject(byte[] bytes, String what) {
    try {
      JsonNode node = tree(bytes);
      if (node == null || !node.isObject()) {
        throw new InvalidImageException(what + " is not a JSON object");
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new InvalidImageException(what + " is not valid JSON: " + originalMessage(e));
    }
  }

  /** Compact UTF-8 bytes, fields in insertion order. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String pretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of a field, or null when absent or not text. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static String originalMessage(IOException e) {
    return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
  }
}
