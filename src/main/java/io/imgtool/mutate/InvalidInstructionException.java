package io.imgtool.mutate;

/**
 * A {@code --change} instruction that is not one commit accepts, or that is malformed. A usage
 * error: the message names the instruction and says why it was refused.
 */
public class InvalidInstructionException extends IllegalArgumentException {
  private final String instruction;

  public InvalidInstructionException(String instruction, String reason) {
    super("invalid change \"" + instruction + "\": " + reason);
    this.instruction = instruction;
  }

  /** The instruction as written (one logical Dockerfile line). */
  public String instruction() {
    return instruction;
  }
}
