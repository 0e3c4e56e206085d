package io.imgtool.mutate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits {@code --change} strings into logical Dockerfile lines. Like Docker, the changes are
 * joined with newlines and read as one Dockerfile: blank lines and {@code #} comments are
 * skipped, and a line ending in a backslash continues on the next one.
 */
final class DockerfileText {
  /** Go's regexp {@code [\t\v\f\r ]+}, which the Dockerfile parser splits words with. */
  static final Pattern WHITESPACE = Pattern.compile("[\\t\\x0B\\f\\r ]+");
  private static final Pattern CONTINUATION = Pattern.compile("\\\\[ \\t]*$");

  private DockerfileText() {}

  static List<Instruction> instructions(List<String> changes) {
    String[] lines = String.join("\n", changes).split("\n", -1);
    List<Instruction> result = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String first = withoutCarriageReturn(lines[i++]).stripLeading();
      if (first.isEmpty() || first.startsWith("#")) {
        continue;
      }
      StringBuilder logical = new StringBuilder();
      boolean continues = appendPart(logical, first);
      while (continues && i < lines.length) {
        String next = withoutCarriageReturn(lines[i++]);
        if (next.isBlank() || next.stripLeading().startsWith("#")) {
          continue; // comments and empty lines inside a continued line are dropped
        }
        continues = appendPart(logical, next);
      }
      result.add(Instruction.parse(logical.toString()));
    }
    return result;
  }

  /** Appends a physical line; true when it ends with the continuation backslash. */
  private static boolean appendPart(StringBuilder logical, String line) {
    var matcher = CONTINUATION.matcher(line);
    if (matcher.find()) {
      logical.append(line, 0, matcher.start());
      return true;
    }
    logical.append(line);
    return false;
  }

  private static String withoutCarriageReturn(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
