package io.imgtool.mutate;

import java.util.ArrayList;
import java.util.List;

/**
 * The Dockerfile parser's word splitting for ENV and LABEL: words end at unquoted whitespace,
 * and quotes and backslashes are kept in the words (they are removed later, by {@link ShellLex},
 * together with variable substitution).
 */
final class Words {
  private Words() {}

  record KeyValue(String key, String value) {}

  static List<String> split(String rest) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean blankOk = false;
    int quote = 0;
    int[] chars = rest.codePoints().toArray();
    for (int pos = 0; pos < chars.length; pos++) {
      int ch = chars[pos];
      if (!inWord && quote == 0) {
        if (Character.isWhitespace(ch)) {
          continue;
        }
        inWord = true;
      }
      if (quote == 0 && Character.isWhitespace(ch)) {
        if (blankOk || word.length() > 0) {
          words.add(word.toString());
        }
        word.setLength(0);
        blankOk = false;
        inWord = false;
        continue;
      }
      if (quote != 0 && ch == quote) {
        quote = 0;
      } else if (quote == 0 && (ch == '\'' || ch == '"')) {
        quote = ch;
        blankOk = true; // "" is a word even though it is empty once unquoted
      }
      if (ch == '\\' && quote != '\'') {
        if (pos + 1 == chars.length) {
          continue; // a trailing backslash is dropped
        }
        word.appendCodePoint(ch);
        ch = chars[++pos];
      }
      word.appendCodePoint(ch);
    }
    if (inWord && (blankOk || word.length() > 0)) {
      words.add(word.toString());
    }
    return words;
  }

  /**
   * ENV/LABEL arguments: {@code k=v k2="v 2" ...}, or the legacy {@code KEY value with spaces}
   * form, chosen as Docker does by whether the first word contains '='. Keys and values are
   * returned unprocessed (quotes still in place).
   */
  static List<KeyValue> keyValues(Instruction instruction) {
    String rest = instruction.args();
    List<String> words = split(rest);
    String keyword = instruction.keyword();
    if (words.isEmpty()) {
      throw instruction.invalid(keyword + " requires at least one argument");
    }
    List<KeyValue> pairs = new ArrayList<>();
    if (!words.get(0).contains("=")) {
      String[] parts = DockerfileText.WHITESPACE.split(rest, 2);
      if (parts.length < 2) {
        throw instruction.invalid(keyword + " must have two arguments (" + keyword
            + " name=value, or the legacy form " + keyword + " name value)");
      }
      pairs.add(new KeyValue(parts[0], parts[1]));
    } else {
      for (String word : words) {
        int equals = word.indexOf('=');
        if (equals < 0) {
          throw instruction.invalid("can't find = in \"" + word + "\"; must be of the form name=value");
        }
        pairs.add(new KeyValue(word.substring(0, equals), word.substring(equals + 1)));
      }
    }
    for (KeyValue pair : pairs) {
      if (pair.key().isEmpty()) {
        throw instruction.invalid(keyword + " names can not be blank");
      }
    }
    return pairs;
  }
}
