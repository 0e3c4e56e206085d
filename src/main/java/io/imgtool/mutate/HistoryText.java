package io.imgtool.mutate;

import io.imgtool.image.Json;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How an applied instruction is written in the image history: normalised Dockerfile syntax
 * that would give the same result if read again (keyword upper case, values after variable
 * substitution, exec form as a JSON array).
 */
final class HistoryText {
  private static final Pattern PLAIN = Pattern.compile("[^\\s\"'\\\\$]+");

  private HistoryText() {}

  static String json(List<String> values) {
    return Json.MAPPER.valueToTree(values).toString();
  }

  static String pairs(List<Words.KeyValue> pairs) {
    return pairs.stream().map(p -> word(p.key()) + "=" + word(p.value()))
        .collect(Collectors.joining(" "));
  }

  /** A value as one Dockerfile word: bare when safe, otherwise double-quoted and escaped. */
  static String word(String value) {
    if (PLAIN.matcher(value).matches()) {
      return value;
    }
    return '"' + value.replaceAll("([\"\\\\$])", "\\\\$1") + '"';
  }
}
