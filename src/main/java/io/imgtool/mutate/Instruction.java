package io.imgtool.mutate;

import java.util.List;
import java.util.Locale;

/**
 * One logical Dockerfile line of a {@code --change}: its keyword, the {@code --flags} written
 * before its arguments, the argument text, and the line as written (for messages and ONBUILD).
 */
record Instruction(String keyword, List<String> flags, String args, String original) {

  static Instruction parse(String line) {
    String trimmed = line.strip();
    String[] split = DockerfileText.WHITESPACE.split(trimmed, 2);
    String keyword = split[0].toUpperCase(Locale.ROOT);
    if (split.length < 2) {
      return new Instruction(keyword, List.of(), "", trimmed);
    }
    BuilderFlags.Extracted extracted = BuilderFlags.extract(split[1]);
    return new Instruction(keyword, extracted.flags(), extracted.rest().strip(), trimmed);
  }

  InvalidInstructionException invalid(String why) {
    return new InvalidInstructionException(original, why);
  }
}
