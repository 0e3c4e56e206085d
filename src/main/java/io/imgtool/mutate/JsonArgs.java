package io.imgtool.mutate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.imgtool.image.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Dockerfile "exec form": arguments written as a JSON array of strings. As in Docker, text
 * that is not a JSON array is not an error (it is the shell form, e.g. {@code CMD [ -f x ] && y});
 * a JSON array holding anything but strings is.
 */
final class JsonArgs {
  private static final ObjectReader READER =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonArgs() {}

  /** The strings of the array, or empty when the text is not a JSON array. */
  static Optional<List<String>> parse(Instruction instruction, String rest) {
    String text = rest.stripLeading();
    if (!text.startsWith("[")) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = READER.readTree(text);
    } catch (IOException | NumberFormatException e) { // a number BigDecimal cannot hold: not a JSON array of strings
      return Optional.empty();
    }
    if (node == null || !node.isArray()) {
      return Optional.empty();
    }
    List<String> result = new ArrayList<>();
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw instruction.invalid(
            "when using JSON array syntax, arrays must be comprised of strings only");
      }
      result.add(element.asText());
    }
    return Optional.of(result);
  }
}
