package io.imgtool.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A Go text/template, as Docker's {@code --format} takes it, run on JSON data whose field names
 * are Docker's ({@code {{.Id}}}, {@code {{json .Config}}}, {@code {{index .RepoDigests 0}}},
 * {@code {{range .RepoTags}}…{{end}}}). Supported: text and actions with {@code {{-}/{@code -}}}
 * trimming and comments; fields, variables ({@code $}, {@code $x := …}, {@code range $i, $v :=}),
 * literals, parentheses and pipes; {@code if}/{@code else if}/{@code else}, {@code range} (with
 * {@code else}, {@code break}, {@code continue}), {@code with}; and the functions of
 * {@link Functions}. Not supported: {@code define}, {@code template}, {@code block}, methods.
 */
public final class Template {
  private final List<Node> nodes;

  private Template(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** Parses the template; throws {@link TemplateException} with Go's message when it is malformed. */
  public static Template parse(String text) {
    return new Template(Parser.parse(text));
  }

  /** The template's output for {@code data}; throws {@link TemplateException} when a step fails. */
  public String execute(JsonNode data) {
    return Evaluator.run(nodes, data);
  }
}
