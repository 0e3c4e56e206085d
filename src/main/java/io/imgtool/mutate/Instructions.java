package io.imgtool.mutate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code -c/--change} instructions of a commit or import, with Docker's semantics: the
 * changes are read as one Dockerfile, and only the instructions that change the image config
 * are accepted (CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER,
 * VOLUME, WORKDIR). Keywords are case-insensitive; both exec (JSON) and shell forms work.
 */
public final class Instructions {
  static final Set<String> ACCEPTED = Set.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK",
      "LABEL", "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");
  private static final String ACCEPTED_TEXT = "CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, "
      + "ONBUILD, STOPSIGNAL, USER, VOLUME and WORKDIR";

  private final List<Instruction> instructions;

  private Instructions(List<Instruction> instructions) {
    this.instructions = instructions;
  }

  /** The result of applying the instructions: new container defaults and one text each. */
  public record Applied(ObjectNode containerConfig, List<String> createdBy) {}

  /**
   * Reads the raw {@code -c} strings. Throws {@link InvalidInstructionException} for an
   * instruction commit does not accept (RUN, COPY, FROM, ...). Blank changes and comments are
   * ignored, as Docker ignores them.
   */
  public static Instructions parse(List<String> changes) {
    List<Instruction> parsed = DockerfileText.instructions(changes);
    for (Instruction instruction : parsed) {
      if (!ACCEPTED.contains(instruction.keyword())) {
        throw instruction.invalid(instruction.keyword() + " is not a valid change command; "
            + "commit and import accept only " + ACCEPTED_TEXT);
      }
    }
    return new Instructions(parsed);
  }

  public boolean isEmpty() {
    return instructions.isEmpty();
  }

  public int size() {
    return instructions.size();
  }

  /**
   * Applies the instructions, in order, to a copy of the container defaults ({@code config} of
   * an image config; empty for scratch). The os (of the image) decides the default shell.
   * Throws {@link InvalidInstructionException} when an instruction is malformed.
   */
  public Applied applyTo(ObjectNode containerConfig, String os) {
    ObjectNode copy = containerConfig.deepCopy();
    Dispatcher dispatcher = new Dispatcher(copy, os);
    List<String> createdBy = new ArrayList<>();
    for (Instruction instruction : instructions) {
      createdBy.add(dispatcher.dispatch(instruction));
    }
    return new Applied(copy, List.copyOf(createdBy));
  }
}
