package io.imgtool.mutate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell patterns of {@code ${VAR#pattern}}, {@code ${VAR%pattern}} and
 * {@code ${VAR/pattern/replacement}}: {@code *} any string, {@code ?} one character,
 * {@code \} escapes {@code * ? \}, as BuildKit implements them (no bracket expressions).
 */
final class ShellPattern {
  private ShellPattern() {}

  /**
   * Removes the shortest (or, when the word repeats the operator, the longest) prefix
   * ({@code #}) or suffix ({@code %}) of value that matches the pattern.
   */
  static String trim(String value, String word, boolean prefix) {
    char operator = prefix ? '#' : '%';
    boolean longest = word.startsWith(String.valueOf(operator));
    Pattern pattern = compile(longest ? word.substring(1) : word);
    int n = value.length();
    for (int i = 0; i <= n; i++) {
      int cut = longest ? n - i : i; // prefix length (#) or suffix length (%) being tried
      String candidate = prefix ? value.substring(0, cut) : value.substring(n - cut);
      if (pattern.matcher(candidate).matches()) {
        return prefix ? value.substring(cut) : value.substring(0, n - cut);
      }
    }
    return value;
  }

  /** Replaces the first (or every) longest match of the pattern. */
  static String replace(String value, String pattern, String replacement, boolean all) {
    Matcher matcher = compile(pattern).matcher(value);
    String literal = Matcher.quoteReplacement(replacement);
    return all ? matcher.replaceAll(literal) : matcher.replaceFirst(literal);
  }

  private static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    int[] chars = glob.codePoints().toArray();
    for (int i = 0; i < chars.length; i++) {
      int ch = chars[i];
      if (ch == '*') {
        regex.append(".*");
      } else if (ch == '?') {
        regex.append('.');
      } else if (ch == '\\') {
        int escaped = i + 1 < chars.length ? chars[i + 1] : -1;
        if (escaped == '}' || escaped == '/') {
          continue; // escapes needed by the ${} syntax itself are not part of the pattern
        }
        if (escaped != '*' && escaped != '?' && escaped != '\\') {
          throw new IllegalArgumentException("invalid pattern (" + glob + ") in substitution: "
              + "invalid escape '\\" + (escaped < 0 ? "" : Character.toString(escaped)) + "'");
        }
        regex.append('\\').appendCodePoint(escaped);
        i++;
      } else {
        appendLiteral(regex, ch);
      }
    }
    return Pattern.compile(regex.toString());
  }

  private static void appendLiteral(StringBuilder regex, int ch) {
    if (!Character.isLetterOrDigit(ch)) {
      regex.append('\\'); // a backslash before any non-alphabetic character is a literal in Java
    }
    regex.appendCodePoint(ch);
  }
}
