package io.imgtool.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the {@code -c/--change} instructions of commit and import: the input is the changes,
 * separated by NUL bytes, read as Docker reads them (continuations, comments, exec and shell
 * forms, variables, flags) and applied to container defaults that hold variables, for a linux
 * and a windows image. The one documented refusal is {@link InvalidInstructionException} (a
 * usage error naming the change); anything else, a NumberFormatException of a port or a duration
 * among them, is a finding. Applied changes must give one history text per instruction.
 * Seeds: {@code InstructionsFuzzTestInputs/}, one file per Docker-style change set.
 */
class InstructionsFuzzTest {
  private static final ObjectNode DEFAULTS = Json.parseObject(
      "{\"Env\":[\"PATH=/usr/local/bin:/usr/bin\",\"HOME=/root\",\"EMPTY=\"],\"Cmd\":[\"sh\"],\"WorkingDir\":\"/w\"}"
          .getBytes(StandardCharsets.UTF_8), "container defaults");

  @FuzzTest
  void changes(byte[] input) {
    List<String> changes = Arrays.asList(new String(input, StandardCharsets.UTF_8).split("\0", -1));
    Instructions instructions;
    try {
      instructions = Instructions.parse(changes);
    } catch (InvalidInstructionException refused) {
      return;
    }
    for (String os : List.of("linux", "windows")) {
      try {
        Instructions.Applied applied = instructions.applyTo(DEFAULTS, os);
        assertEquals(instructions.size(), applied.createdBy().size(), "history texts");
        Json.bytes(applied.containerConfig());
      } catch (InvalidInstructionException refused) {
        // a malformed instruction, said so
      }
    }
  }
}
