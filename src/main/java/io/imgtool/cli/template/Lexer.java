package io.imgtool.cli.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into text and actions, as Go's text/template does: {@code {{- } and
 * {@code -}}} trim the white space beside them, {@code {{/* *}{@code /}}} is a comment, and an
 * action ends at the first {@code }}} outside a string.
 */
final class Lexer {
  /** A piece of the template: literal text, or the inside of one action. */
  record Segment(boolean action, String text, int line) {}

  private final String input;
  private int pos;
  private int line = 1;

  private Lexer(String input) {
    this.input = input;
  }

  static List<Segment> segments(String template) {
    return new Lexer(template).split();
  }

  private List<Segment> split() {
    List<Segment> segments = new ArrayList<>();
    boolean trimNext = false;
    while (pos < input.length()) {
      int open = input.indexOf("{{", pos);
      String text = open < 0 ? input.substring(pos) : input.substring(pos, open);
      boolean trimBefore = open >= 0 && isTrimAt(open + 2);
      if (trimNext) {
        text = text.stripLeading();
      }
      if (trimBefore) {
        text = text.stripTrailing();
      }
      if (!text.isEmpty()) {
        segments.add(new Segment(false, text, line));
      }
      line += count(open < 0 ? input.substring(pos) : input.substring(pos, open));
      if (open < 0) {
        break;
      }
      int start = open + 2 + (trimBefore ? 2 : 0);
      int close = closing(start);
      boolean trimAfter = close - 2 >= start && isTrimBefore(close);
      int end = trimAfter ? close - 2 : close;
      String action = input.substring(start, Math.max(start, end));
      int actionLine = line;
      line += count(input.substring(open, close + 2));
      pos = close + 2;
      trimNext = trimAfter;
      String body = action.strip();
      if (body.startsWith("/*")) {
        if (!body.endsWith("*/")) {
          throw TemplateException.parse(actionLine, "unclosed comment");
        }
        continue;
      }
      segments.add(new Segment(true, action, actionLine));
    }
    return segments;
  }

  /** {@code {{-} followed by white space (a newline or tab counts, as in Go). */
  private boolean isTrimAt(int i) {
    return i + 1 < input.length() && input.charAt(i) == '-' && Character.isWhitespace(input.charAt(i + 1));
  }

  /** White space then {@code -} right before {@code }}}. */
  private boolean isTrimBefore(int close) {
    return close >= 2 && input.charAt(close - 1) == '-' && Character.isWhitespace(input.charAt(close - 2));
  }

  /** The index of the {@code }}} that ends the action starting at {@code from}. */
  private int closing(int from) {
    int i = from;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipQuoted(i, c);
        continue;
      }
      if (input.startsWith("/*", i)) {
        int end = input.indexOf("*/", i + 2);
        if (end < 0) {
          throw TemplateException.parse(line, "unclosed comment");
        }
        i = end + 2;
        continue;
      }
      if (input.startsWith("}}", i)) {
        return i;
      }
      i++;
    }
    throw TemplateException.parse(line, "unclosed action");
  }

  private int skipQuoted(int start, char quote) {
    for (int i = start + 1; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c == '\\' && quote != '`') {
        i++;
      } else if (c == quote) {
        return i + 1;
      } else if (c == '\n' && quote != '`') {
        break;
      }
    }
    throw TemplateException.parse(line, "unterminated quoted string");
  }

  private static int count(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** The tokens of one action's text. */
  static List<Token> tokens(String action, int line) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < action.length()) {
      char c = action.charAt(i);
      if (Character.isWhitespace(c)) {
        int j = i;
        while (j < action.length() && Character.isWhitespace(action.charAt(j))) {
          j++;
        }
        tokens.add(new Token(Token.Kind.SPACE, " ", line));
        i = j;
      } else if (c == '|') {
        tokens.add(new Token(Token.Kind.PIPE, "|", line));
        i++;
      } else if (c == '(') {
        tokens.add(new Token(Token.Kind.LEFT_PAREN, "(", line));
        i++;
      } else if (c == ')') {
        tokens.add(new Token(Token.Kind.RIGHT_PAREN, ")", line));
        i++;
      } else if (c == ',') {
        tokens.add(new Token(Token.Kind.COMMA, ",", line));
        i++;
      } else if (c == ':' && action.startsWith(":=", i)) {
        tokens.add(new Token(Token.Kind.DECLARE, ":=", line));
        i += 2;
      } else if (c == '=') {
        tokens.add(new Token(Token.Kind.ASSIGN, "=", line));
        i++;
      } else if (c == '"') {
        int end = endOfQuoted(action, i, line);
        tokens.add(new Token(Token.Kind.STRING, unquote(action.substring(i + 1, end - 1), line), line));
        i = end;
      } else if (c == '`') {
        int end = action.indexOf('`', i + 1);
        if (end < 0) {
          throw TemplateException.parse(line, "unterminated raw quoted string");
        }
        tokens.add(new Token(Token.Kind.STRING, action.substring(i + 1, end), line));
        i = end + 1;
      } else if (c == '.' && (i + 1 >= action.length() || !isNameChar(action.charAt(i + 1)))) {
        tokens.add(new Token(Token.Kind.DOT, ".", line));
        i++;
      } else if (c == '.') {
        int end = endOfName(action, i + 1);
        tokens.add(new Token(Token.Kind.FIELD, action.substring(i + 1, end), line));
        i = end;
      } else if (c == '$') {
        int end = endOfName(action, i + 1);
        tokens.add(new Token(Token.Kind.VARIABLE, action.substring(i, end), line));
        i = end;
      } else if (Character.isDigit(c) || (c == '-' || c == '+') && i + 1 < action.length()
          && Character.isDigit(action.charAt(i + 1))) {
        int end = endOfNumber(action, i + 1);
        tokens.add(new Token(Token.Kind.NUMBER, action.substring(i, end), line));
        i = end;
      } else if (isNameChar(c)) {
        int end = endOfName(action, i);
        tokens.add(new Token(Token.Kind.IDENTIFIER, action.substring(i, end), line));
        i = end;
      } else {
        throw TemplateException.parse(line, "unexpected \"" + c + "\" in command");
      }
    }
    tokens.add(new Token(Token.Kind.END, "", line));
    return tokens;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static int endOfName(String text, int from) {
    int i = from;
    while (i < text.length() && isNameChar(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int endOfNumber(String text, int from) {
    int i = from;
    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.'
        || text.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  private static int endOfQuoted(String text, int start, int line) {
    for (int i = start + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    throw TemplateException.parse(line, "unterminated quoted string");
  }

  /** Go's escapes in an interpreted string literal. */
  private static String unquote(String body, int line) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= body.length()) {
        throw TemplateException.parse(line, "invalid syntax in string");
      }
      char e = body.charAt(i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '\\' -> out.append('\\');
        case '"' -> out.append('"');
        case '\'' -> out.append('\'');
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000b');
        case 'u', 'x' -> {
          int digits = e == 'u' ? 4 : 2;
          if (i + digits >= body.length()) {
            throw TemplateException.parse(line, "invalid syntax in string");
          }
          try {
            out.append((char) Integer.parseInt(body.substring(i + 1, i + 1 + digits), 16));
          } catch (NumberFormatException bad) {
            throw TemplateException.parse(line, "invalid syntax in string");
          }
          i += digits;
        }
        default -> throw TemplateException.parse(line, "invalid syntax in string");
      }
    }
    return out.toString();
  }
}
