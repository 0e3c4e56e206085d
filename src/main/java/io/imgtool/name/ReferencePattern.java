package io.imgtool.name;

/**
 * Docker's {@code reference=PATTERN} filter ({@code reference.FamiliarMatch}): Go's
 * {@code path.Match} against the name as Docker shows it ({@code ubuntu:22.04},
 * {@code team/app:1}, {@code host:5000/app:1}), then against its repository alone. {@code *}
 * matches any run of characters but {@code /}, {@code ?} one such character, {@code [a-z]} and
 * {@code [^a-z]} a class, and {@code \} escapes. A pattern that is itself a full name also
 * matches that name however it is written ({@code docker.io/library/ubuntu} matches
 * {@code ubuntu:latest}).
 */
public final class ReferencePattern {
  private final String pattern;

  private ReferencePattern(String pattern) {
    this.pattern = pattern;
  }

  /** Throws {@link InvalidReferenceException} when the pattern is malformed (an unclosed {@code [}). */
  public static ReferencePattern of(String pattern) {
    try {
      match(pattern, "");
    } catch (IllegalArgumentException e) {
      throw new InvalidReferenceException("invalid reference pattern \"" + pattern + "\": " + e.getMessage());
    }
    return new ReferencePattern(pattern);
  }

  public boolean matches(ImageReference name) {
    if (match(pattern, name.familiar()) || match(pattern, name.familiarRepository())) {
      return true;
    }
    if (hasMeta(pattern) || !ImageReference.isValid(pattern)) {
      return false;
    }
    ImageReference wanted = ImageReference.parse(pattern);
    boolean tagGiven = pattern.substring(pattern.lastIndexOf('/') + 1).contains(":");
    return wanted.sameRepository(name) && (!tagGiven || wanted.tag().equals(name.tag()));
  }

  private static boolean hasMeta(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0 || text.indexOf('\\') >= 0;
  }

  /** Go's path.Match; IllegalArgumentException for a malformed pattern. */
  static boolean match(String pattern, String name) {
    return match(pattern, 0, name, 0);
  }

  private static boolean match(String p, int pi, String s, int si) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        while (pi < p.length() && p.charAt(pi) == '*') {
          pi++;
        }
        for (int k = si; ; k++) {
          if (match(p, pi, s, k)) {
            return true;
          }
          if (k >= s.length() || s.charAt(k) == '/') {
            checkRest(p, pi);
            return false;
          }
        }
      }
      if (c == '?') {
        if (si >= s.length() || s.charAt(si) == '/') {
          checkRest(p, pi + 1);
          return false;
        }
        pi++;
        si++;
        continue;
      }
      if (c == '[') {
        int end = classEnd(p, pi);
        if (si >= s.length() || s.charAt(si) == '/' || !inClass(p.substring(pi + 1, end), s.charAt(si))) {
          checkRest(p, end + 1);
          return false;
        }
        pi = end + 1;
        si++;
        continue;
      }
      if (c == '\\') {
        if (++pi >= p.length()) {
          throw new IllegalArgumentException("trailing \\");
        }
        c = p.charAt(pi);
      }
      if (si >= s.length() || s.charAt(si) != c) {
        checkRest(p, pi + 1);
        return false;
      }
      pi++;
      si++;
    }
    return si == s.length();
  }

  /** Go reports a malformed pattern even when the name stopped matching before it. */
  private static void checkRest(String p, int from) {
    for (int i = from; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        if (++i >= p.length()) {
          throw new IllegalArgumentException("trailing \\");
        }
      } else if (c == '[') {
        i = classEnd(p, i);
      }
    }
  }

  /** The index of the {@code ]} that closes the class opened at {@code open}. */
  private static int classEnd(String p, int open) {
    int i = open + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    boolean first = true;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == ']' && !first) {
        return i;
      }
      if (c == '\\') {
        i++;
      }
      first = false;
      i++;
    }
    throw new IllegalArgumentException("unclosed [");
  }

  private static boolean inClass(String body, char c) {
    boolean negated = body.startsWith("^");
    int i = negated ? 1 : 0;
    boolean found = false;
    while (i < body.length()) {
      char low = body.charAt(i);
      if (low == '\\') {
        low = body.charAt(++i);
      }
      char high = low;
      if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
        high = body.charAt(i + 2);
        if (high == '\\') {
          high = body.charAt(i + 3);
          i++;
        }
        i += 2;
      }
      if (low <= c && c <= high) {
        found = true;
      }
      i++;
    }
    return found != negated;
  }
}
