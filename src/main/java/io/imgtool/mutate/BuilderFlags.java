package io.imgtool.mutate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name=value} words that may precede any instruction's arguments in a Dockerfile.
 * Docker extracts them for every instruction and rejects the ones an instruction does not take,
 * so {@code CMD --help} is an error there too.
 */
final class BuilderFlags {
  private BuilderFlags() {}

  record Extracted(List<String> flags, String rest) {}

  /** Splits leading {@code --flag} words (quotes removed) from the rest of the arguments. */
  static Extracted extract(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int quote = 0;
    int n = line.length();
    for (int pos = 0; pos <= n; pos++) {
      char ch = pos < n ? line.charAt(pos) : 0;
      if (!inWord) {
        if (pos == n) {
          break;
        }
        if (Character.isWhitespace(ch)) {
          continue;
        }
        if (!line.startsWith("--", pos)) {
          return new Extracted(words, line.substring(pos));
        }
        inWord = true;
      }
      if (pos == n) {
        addFlag(words, word);
        break;
      }
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
          continue;
        }
      } else if (Character.isWhitespace(ch)) {
        if (word.toString().equals("--")) {
          return new Extracted(words, line.substring(pos)); // "--" ends the flags
        }
        addFlag(words, word);
        inWord = false;
        continue;
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        continue;
      }
      if (ch == '\\' && quote != '\'') {
        if (pos + 1 == n) {
          continue;
        }
        ch = line.charAt(++pos);
      }
      word.append(ch);
    }
    return new Extracted(words, "");
  }

  private static void addFlag(List<String> words, StringBuilder word) {
    if (word.length() > 0 && !word.toString().equals("--")) {
      words.add(word.toString());
    }
    word.setLength(0);
  }

  /** Parses the flags against the names an instruction accepts (all take a value). */
  static Map<String, String> parse(Instruction instruction, Set<String> accepted) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String flag : instruction.flags()) {
      String body = flag.substring(2);
      int equals = body.indexOf('=');
      String name = equals < 0 ? body : body.substring(0, equals);
      if (!accepted.contains(name)) {
        throw instruction.invalid("unknown flag: --" + name);
      }
      if (equals < 0) {
        throw instruction.invalid("missing a value on flag: --" + name);
      }
      if (values.put(name, body.substring(equals + 1)) != null) {
        throw instruction.invalid("duplicate flag specified: --" + name);
      }
    }
    return values;
  }
}
