package io.imgtool.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The parsed template: text, actions and the control structures of Go's text/template. */
sealed interface Node {
  record Text(String text) implements Node {}

  /** {@code {{pipeline}}}: prints the value, unless the pipeline declares or assigns variables. */
  record Action(Pipeline pipeline) implements Node {}

  record If(Pipeline pipeline, List<Node> then, List<Node> otherwise) implements Node {}

  record Range(Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {}

  record With(Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {}

  record Break() implements Node {}

  record Continue() implements Node {}

  /**
   * Commands joined by {@code |}, each one's value the last argument of the next.
   *
   * @param variables {@code $x} names before {@code :=} or {@code =}, in order; empty when none
   * @param declares true for {@code :=}, false for {@code =}
   */
  record Pipeline(List<String> variables, boolean declares, List<Command> commands, int line) {}

  /** A function and its arguments, or a single operand. */
  record Command(List<Operand> operands) {}

  sealed interface Operand {}

  /** {@code .}, or {@code .A.B} when fields is not empty. */
  record Dot(List<String> fields) implements Operand {}

  /** {@code $x.A.B}; {@code $} is the data the template was run on. */
  record Variable(String name, List<String> fields) implements Operand {}

  record Literal(JsonNode value) implements Operand {}

  record Function(String name) implements Operand {}

  /** {@code (pipeline).A.B}. */
  record Nested(Pipeline pipeline, List<String> fields) implements Operand {}
}
