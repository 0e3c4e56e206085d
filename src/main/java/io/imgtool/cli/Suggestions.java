package io.imgtool.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * "Did you mean …?" as cobra (Docker's CLI library) decides it: names at most two edits away
 * (a transposition is one edit), or that start with what was typed; of those, the closest.
 */
final class Suggestions {
  private static final int MAX_DISTANCE = 2;

  private Suggestions() {}

  static List<String> closest(String typed, Collection<String> names) {
    List<String> found = new ArrayList<>();
    int best = Integer.MAX_VALUE;
    for (String name : names) {
      int score = score(typed, name);
      if (score > MAX_DISTANCE || score > best) {
        continue;
      }
      if (score < best) {
        found.clear();
        best = score;
      }
      found.add(name);
    }
    // Of equally close names, those the typed word only lacks letters of: a skipped key is the
    // commonest slip ("imags" is images, not image).
    List<String> skipped = found.stream().filter(name -> isSubsequence(typed, name)).toList();
    List<String> result = new ArrayList<>(skipped.isEmpty() ? found : skipped);
    result.sort(Comparator.naturalOrder());
    return result;
  }

  private static boolean isSubsequence(String typed, String name) {
    int i = 0;
    for (int j = 0; j < name.length() && i < typed.length(); j++) {
      if (name.charAt(j) == typed.charAt(i)) {
        i++;
      }
    }
    return i == typed.length();
  }

  /** 0 for a name that starts with what was typed, else the edit distance. */
  private static int score(String typed, String name) {
    if (!typed.isEmpty() && name.startsWith(typed)) {
      return 0;
    }
    return distance(typed.toLowerCase(java.util.Locale.ROOT), name.toLowerCase(java.util.Locale.ROOT));
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
