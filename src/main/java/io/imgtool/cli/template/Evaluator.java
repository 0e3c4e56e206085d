package io.imgtool.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs a parsed template on one JSON value, as Go's text/template executes on Docker's data. */
final class Evaluator {
  /** Unwinds to the innermost range: {{break}} and {{continue}}. */
  private static final class LoopControl extends RuntimeException {
    final boolean breaks;

    LoopControl(boolean breaks) {
      super(null, null, false, false);
      this.breaks = breaks;
    }
  }

  private record Variable(String name, JsonNode value) {}

  private final StringBuilder out = new StringBuilder();
  private final List<Variable> variables = new ArrayList<>();

  private Evaluator(JsonNode root) {
    variables.add(new Variable("$", root));
  }

  static String run(List<Node> nodes, JsonNode data) {
    Evaluator evaluator = new Evaluator(data);
    evaluator.walk(nodes, data);
    return evaluator.out.toString();
  }

  private void walk(List<Node> nodes, JsonNode dot) {
    for (Node node : nodes) {
      walk(node, dot);
    }
  }

  private void walk(Node node, JsonNode dot) {
    if (node instanceof Node.Text text) {
      out.append(text.text());
    } else if (node instanceof Node.Action action) {
      JsonNode value = pipeline(action.pipeline(), dot);
      if (action.pipeline().variables().isEmpty()) {
        out.append(Values.print(value));
      }
    } else if (node instanceof Node.If branch) {
      scoped(() -> walk(Values.truth(pipeline(branch.pipeline(), dot)) ? branch.then() : branch.otherwise(), dot));
    } else if (node instanceof Node.With with) {
      scoped(() -> {
        JsonNode value = pipeline(with.pipeline(), dot);
        if (Values.truth(value)) {
          walk(with.body(), value);
        } else {
          walk(with.otherwise(), dot);
        }
      });
    } else if (node instanceof Node.Range range) {
      scoped(() -> range(range, dot));
    } else if (node instanceof Node.Break) {
      throw new LoopControl(true);
    } else if (node instanceof Node.Continue) {
      throw new LoopControl(false);
    }
  }

  /** Variables declared inside a control structure end with it. */
  private void scoped(Runnable body) {
    int mark = variables.size();
    try {
      body.run();
    } finally {
      variables.subList(mark, variables.size()).clear();
    }
  }

  private void range(Node.Range range, JsonNode dot) {
    Node.Pipeline pipeline = range.pipeline();
    Node.Pipeline value = new Node.Pipeline(List.of(), false, pipeline.commands(), pipeline.line());
    JsonNode items = pipeline(value, dot);
    List<JsonNode> keys = new ArrayList<>();
    List<JsonNode> elements = new ArrayList<>();
    if (items.isArray()) {
      for (int i = 0; i < items.size(); i++) {
        keys.add(Values.NODES.numberNode(i));
        elements.add(items.get(i));
      }
    } else if (items.isObject()) {
      for (String key : Values.sortedKeys(items)) {
        keys.add(Values.text(key));
        elements.add(items.get(key));
      }
    } else if (items.isIntegralNumber()) {
      for (long i = 0; i < items.asLong(); i++) {
        keys.add(Values.NODES.numberNode(i));
        elements.add(Values.NODES.numberNode(i));
      }
    } else if (!items.isMissingNode() && !items.isNull()) {
      throw TemplateException.exec(":" + pipeline.line() + ": range can't iterate over " + Values.print(items));
    }
    if (elements.isEmpty()) {
      walk(range.otherwise(), dot);
      return;
    }
    int mark = variables.size();
    for (int i = 0; i < elements.size(); i++) {
      List<String> names = pipeline.variables();
      if (names.size() == 1) {
        variables.add(new Variable(names.get(0), elements.get(i)));
      } else if (names.size() == 2) {
        variables.add(new Variable(names.get(0), keys.get(i)));
        variables.add(new Variable(names.get(1), elements.get(i)));
      }
      try {
        walk(range.body(), elements.get(i));
      } catch (LoopControl control) {
        if (control.breaks) {
          break;
        }
      } finally {
        variables.subList(mark, variables.size()).clear();
      }
    }
  }

  private JsonNode pipeline(Node.Pipeline pipeline, JsonNode dot) {
    JsonNode value = null;
    for (Node.Command command : pipeline.commands()) {
      value = command(command, dot, value, pipeline.line());
    }
    for (String name : pipeline.variables()) {
      if (pipeline.declares()) {
        variables.add(new Variable(name, value));
      } else {
        assign(name, value, pipeline.line());
      }
    }
    return value;
  }

  private JsonNode command(Node.Command command, JsonNode dot, JsonNode piped, int line) {
    List<Node.Operand> operands = command.operands();
    Node.Operand first = operands.get(0);
    if (first instanceof Node.Function function) {
      List<Supplier<JsonNode>> args = new ArrayList<>();
      for (Node.Operand operand : operands.subList(1, operands.size())) {
        args.add(() -> operand(operand, dot, line));
      }
      if (piped != null) {
        JsonNode last = piped;
        args.add(() -> last);
      }
      return Functions.call(function.name(), args, line);
    }
    if (operands.size() > 1 || piped != null) {
      throw TemplateException.exec(":" + line + ": can't give argument to non-function " + describe(first));
    }
    if (first instanceof Node.Literal literal && literal.value().isNull()) {
      throw TemplateException.exec(":" + line + ": nil is not a command");
    }
    return operand(first, dot, line);
  }

  private JsonNode operand(Node.Operand operand, JsonNode dot, int line) {
    if (operand instanceof Node.Dot d) {
      return fields(dot, d.fields(), line);
    }
    if (operand instanceof Node.Variable v) {
      return fields(lookup(v.name(), line), v.fields(), line);
    }
    if (operand instanceof Node.Literal literal) {
      return literal.value();
    }
    if (operand instanceof Node.Nested nested) {
      return fields(pipeline(nested.pipeline(), dot), nested.fields(), line);
    }
    Node.Function function = (Node.Function) operand;
    return Functions.call(function.name(), List.of(), line);
  }

  /** {@code .A.B}: a missing field, or a field of nothing, is {@code <no value>}. */
  private static JsonNode fields(JsonNode value, List<String> fields, int line) {
    JsonNode current = value;
    for (String field : fields) {
      if (current == null || current.isMissingNode() || current.isNull()) {
        current = Values.MISSING;
      } else if (current.isObject()) {
        JsonNode next = current.get(field);
        current = next == null ? Values.MISSING : next;
      } else {
        throw TemplateException.exec(":" + line + ": can't evaluate field " + field + " in type "
            + Values.typeName(current));
      }
    }
    return current;
  }

  private JsonNode lookup(String name, int line) {
    for (int i = variables.size() - 1; i >= 0; i--) {
      if (variables.get(i).name().equals(name)) {
        return variables.get(i).value();
      }
    }
    throw TemplateException.exec(":" + line + ": undefined variable: " + name);
  }

  private void assign(String name, JsonNode value, int line) {
    for (int i = variables.size() - 1; i >= 0; i--) {
      if (variables.get(i).name().equals(name)) {
        variables.set(i, new Variable(name, value));
        return;
      }
    }
    throw TemplateException.exec(":" + line + ": undefined variable: " + name);
  }

  private static String describe(Node.Operand operand) {
    if (operand instanceof Node.Dot d) {
      return d.fields().isEmpty() ? "." : "." + String.join(".", d.fields());
    }
    if (operand instanceof Node.Variable v) {
      return v.name() + (v.fields().isEmpty() ? "" : "." + String.join(".", v.fields()));
    }
    if (operand instanceof Node.Literal literal) {
      return Values.print(literal.value());
    }
    return "(pipeline)";
  }
}
