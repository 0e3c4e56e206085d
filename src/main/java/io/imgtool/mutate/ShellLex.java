package io.imgtool.mutate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dockerfile word processing: quote removal, backslash escapes and variable substitution
 * ({@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:+alt}}, {@code ${VAR:?msg}},
 * the colon-less forms, {@code ${VAR#pat}}, {@code ${VAR%pat}}, {@code ${VAR/pat/repl}}), with the
 * rules of BuildKit's shell lexer that Docker applies to {@code --change} instructions. Unset
 * variables expand to the empty string, as in Docker.
 */
final class ShellLex {
  private static final int EOF = -1;
  private static final int ESCAPE = '\\';

  private final Map<String, String> env;
  private final int[] chars;
  private int pos;

  private ShellLex(String word, Map<String, String> env) {
    this.env = env;
    this.chars = word.codePoints().toArray();
  }

  /** The word with quotes removed and variables substituted; whitespace is kept. */
  static String processWord(String word, Map<String, String> env) {
    return new ShellLex(word, env).process(word).text;
  }

  /** The word split into fields after substitution, as EXPOSE uses it ({@code $PORTS} → many). */
  static List<String> processWords(String word, Map<String, String> env) {
    return new ShellLex(word, env).process(word).words;
  }

  private record Result(String text, List<String> words) {}

  private Result process(String source) {
    try {
      return processStopOn(EOF, false);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("failed to process \"" + source + "\": " + e.getMessage(), e);
    }
  }

  private int peek() {
    return pos < chars.length ? chars[pos] : EOF;
  }

  private int next() {
    return pos < chars.length ? chars[pos++] : EOF;
  }

  private Result processStopOn(int stop, boolean rawEscapes) {
    StringBuilder result = new StringBuilder();
    Fields fields = new Fields();
    while (peek() != EOF) {
      int ch = peek();
      if (stop != EOF && ch == stop) {
        next();
        return new Result(result.toString(), fields.done());
      }
      if (ch == '$' || ch == '\'' || ch == '"') {
        String part = ch == '$' ? processDollar() : ch == '\'' ? singleQuoted() : doubleQuoted();
        result.append(part);
        if (ch == '$') {
          fields.addSplitting(part); // an expanded value is split into fields; quoted text is not
        } else {
          fields.addRaw(part);
        }
        continue;
      }
      ch = next();
      if (ch == ESCAPE) {
        if (rawEscapes) {
          fields.addRaw(ch);
          result.appendCodePoint(ch);
        }
        ch = next();
        if (ch == EOF) {
          break;
        }
        fields.addRaw(ch);
      } else {
        fields.add(ch);
      }
      result.appendCodePoint(ch);
    }
    if (stop != EOF) {
      throw new IllegalArgumentException(
          "unexpected end of statement while looking for matching " + Character.toString(stop));
    }
    return new Result(result.toString(), fields.done());
  }

  private String singleQuoted() {
    next();
    StringBuilder result = new StringBuilder();
    for (int ch = next(); ch != '\''; ch = next()) {
      if (ch == EOF) {
        throw new IllegalArgumentException(
            "unexpected end of statement while looking for matching single-quote");
      }
      result.appendCodePoint(ch);
    }
    return result.toString();
  }

  private String doubleQuoted() {
    next();
    StringBuilder result = new StringBuilder();
    while (true) {
      int ch = peek();
      if (ch == EOF) {
        throw new IllegalArgumentException(
            "unexpected end of statement while looking for matching double-quote");
      }
      if (ch == '"') {
        next();
        return result.toString();
      }
      if (ch == '$') {
        result.append(processDollar());
        continue;
      }
      ch = next();
      if (ch == ESCAPE) {
        int following = peek();
        if (following == EOF) {
          continue; // a backslash at the very end is dropped
        }
        if (following == '"' || following == '$' || following == ESCAPE) {
          ch = next(); // only these can be escaped inside double quotes; other \'s stay
        }
      }
      result.appendCodePoint(ch);
    }
  }

  private String processDollar() {
    next();
    if (peek() != '{') {
      String name = processName();
      return name.isEmpty() ? "$" : env.getOrDefault(name, "");
    }
    next();
    int first = peek();
    if (first == EOF) {
      throw new IllegalArgumentException("syntax error: missing '}'");
    }
    if (first == '{' || first == '}' || first == ':') {
      throw new IllegalArgumentException("syntax error: bad substitution");
    }
    String name = processName();
    int ch = next();
    if (ch == '}') {
      return env.getOrDefault(name, "");
    }
    if (ch == EOF) {
      throw new IllegalArgumentException("syntax error: missing '}'");
    }
    if (ch == '/') {
      return substitutePattern(name);
    }
    String modifier = Character.toString(ch);
    boolean nullIsUnset = false;
    if (ch == ':') {
      nullIsUnset = true;
      ch = next();
      modifier += ch == EOF ? "" : Character.toString(ch);
    }
    if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
      throw new IllegalArgumentException("unsupported modifier (" + modifier + ") in substitution");
    }
    String word = substitutionWord('}', ch == '#' || ch == '%', "syntax error: missing '}'");
    boolean set = env.containsKey(name);
    String value = env.getOrDefault(name, "");
    boolean unset = !set || (nullIsUnset && value.isEmpty());
    return switch (ch) {
      case '-' -> unset ? word : value;
      case '+' -> unset ? "" : word;
      case '?' -> {
        if (unset) {
          String why = !set ? "is not allowed to be unset" : "is not allowed to be empty";
          throw new IllegalArgumentException(name + ": " + (word.isEmpty() ? why : word));
        }
        yield value;
      }
      default -> ShellPattern.trim(value, word, ch == '#');
    };
  }

  private String substitutePattern(String name) {
    boolean all = peek() == '/';
    if (all) {
      next();
    }
    String pattern = substitutionWord('/', true, "syntax error: missing '/' in ${}");
    String replacement = substitutionWord('}', true, "syntax error: missing '}'");
    return ShellPattern.replace(env.getOrDefault(name, ""), pattern, replacement, all);
  }

  private String substitutionWord(int stop, boolean rawEscapes, String missing) {
    try {
      return processStopOn(stop, rawEscapes).text;
    } catch (IllegalArgumentException e) {
      if (peek() == EOF) {
        throw new IllegalArgumentException(missing, e);
      }
      throw e;
    }
  }

  private String processName() {
    StringBuilder name = new StringBuilder();
    while (peek() != EOF) {
      int ch = peek();
      if (name.length() == 0 && Character.isDigit(ch)) {
        while (peek() != EOF && Character.isDigit(peek())) {
          name.appendCodePoint(next());
        }
        return name.toString();
      }
      if (name.length() == 0 && "@*#?-$!0".indexOf(ch) >= 0) {
        return Character.toString(next()); // a shell special parameter, never set here
      }
      if (!Character.isLetterOrDigit(ch) && ch != '_') {
        break;
      }
      name.appendCodePoint(next());
    }
    return name.toString();
  }

  /** Field splitting: unquoted whitespace ends a field; quoted and escaped characters never do. */
  private static final class Fields {
    private final List<String> words = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;

    void add(int ch) {
      if (Character.isWhitespace(ch)) {
        if (inWord && word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        addRaw(ch);
      }
    }

    void addRaw(int ch) {
      word.appendCodePoint(ch);
      inWord = true;
    }

    void addRaw(String text) {
      word.append(text);
      inWord = true;
    }

    void addSplitting(String text) {
      text.codePoints().forEach(this::add);
    }

    List<String> done() {
      if (word.length() > 0) {
        words.add(word.toString());
        word.setLength(0);
        inWord = false;
      }
      return words;
    }
  }
}
