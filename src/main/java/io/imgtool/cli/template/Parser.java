package io.imgtool.cli.template;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@link Node} tree of a template, checking function names as Go does. */
final class Parser {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** How a list of nodes ended: at {@code {{end}}}, at {@code {{else}}} (maybe {@code else if}), or at the end. */
  private record Stop(String keyword, Lexer.Segment segment, List<Token> rest) {}

  private final List<Lexer.Segment> segments;
  private int next;
  private int rangeDepth;

  private Parser(List<Lexer.Segment> segments) {
    this.segments = segments;
  }

  static List<Node> parse(String template) {
    Parser parser = new Parser(Lexer.segments(template));
    List<Node> nodes = new ArrayList<>();
    Stop stop = parser.list(nodes);
    if (stop != null) {
      throw TemplateException.parse(stop.segment().line(), "unexpected {{" + stop.keyword() + "}}");
    }
    return nodes;
  }

  /** Reads nodes into {@code nodes} until {@code {{end}}} or {@code {{else}}}; null at the end of input. */
  private Stop list(List<Node> nodes) {
    while (next < segments.size()) {
      Lexer.Segment segment = segments.get(next++);
      if (!segment.action()) {
        nodes.add(new Node.Text(segment.text()));
        continue;
      }
      Cursor tokens = new Cursor(Lexer.tokens(segment.text(), segment.line()), segment.line());
      tokens.skipSpace();
      Token first = tokens.peek();
      if (first.is(Token.Kind.IDENTIFIER)) {
        switch (first.text()) {
          case "end", "else" -> {
            tokens.take();
            return new Stop(first.text(), segment, tokens.remaining());
          }
          case "if" -> {
            tokens.take();
            nodes.add(ifNode(pipeline(tokens, false), segment));
            continue;
          }
          case "range" -> {
            tokens.take();
            nodes.add(rangeNode(pipeline(tokens, true), segment));
            continue;
          }
          case "with" -> {
            tokens.take();
            nodes.add(withNode(pipeline(tokens, false), segment));
            continue;
          }
          case "break", "continue" -> {
            tokens.take();
            if (rangeDepth == 0) {
              throw TemplateException.parse(segment.line(), "{{" + first.text() + "}} outside {{range}}");
            }
            tokens.expectEnd();
            nodes.add(first.text().equals("break") ? new Node.Break() : new Node.Continue());
            continue;
          }
          case "define", "template", "block" -> throw TemplateException.parse(segment.line(),
              "{{" + first.text() + "}} is not supported here");
          default -> { }
        }
      }
      if (first.is(Token.Kind.END)) {
        throw TemplateException.parse(segment.line(), "missing value for command");
      }
      nodes.add(new Node.Action(pipeline(tokens, false)));
    }
    return null;
  }

  private Node ifNode(Node.Pipeline pipeline, Lexer.Segment start) {
    List<Node> then = new ArrayList<>();
    Stop stop = expectStop(list(then), start, "if");
    List<Node> otherwise = elseBranch(stop, start, "if");
    return new Node.If(pipeline, then, otherwise);
  }

  private Node withNode(Node.Pipeline pipeline, Lexer.Segment start) {
    List<Node> body = new ArrayList<>();
    Stop stop = expectStop(list(body), start, "with");
    List<Node> otherwise = elseBranch(stop, start, "with");
    return new Node.With(pipeline, body, otherwise);
  }

  private Node rangeNode(Node.Pipeline pipeline, Lexer.Segment start) {
    List<Node> body = new ArrayList<>();
    rangeDepth++;
    Stop stop;
    try {
      stop = expectStop(list(body), start, "range");
    } finally {
      rangeDepth--;
    }
    List<Node> otherwise = elseBranch(stop, start, "range");
    return new Node.Range(pipeline, body, otherwise);
  }

  /**
   * After {@code {{else}}}: the else list up to {@code {{end}}}; {@code {{else if …}}} and
   * {@code {{else with …}}} are a nested if or with that shares the outer {@code {{end}}}.
   */
  private List<Node> elseBranch(Stop stop, Lexer.Segment start, String what) {
    List<Node> otherwise = new ArrayList<>();
    if (stop.keyword().equals("end")) {
      new Cursor(stop.rest(), stop.segment().line()).expectEnd();
      return otherwise;
    }
    Cursor rest = new Cursor(stop.rest(), stop.segment().line());
    rest.skipSpace();
    Token chained = rest.peek();
    if (chained.isKeyword("if") && !what.equals("range")) {
      rest.take();
      otherwise.add(ifNode(pipeline(rest, false), stop.segment()));
      return otherwise;
    }
    if (chained.isKeyword("with") && what.equals("with")) {
      rest.take();
      otherwise.add(withNode(pipeline(rest, false), stop.segment()));
      return otherwise;
    }
    rest.expectEnd();
    Stop end = expectStop(list(otherwise), start, what);
    if (!end.keyword().equals("end")) {
      throw TemplateException.parse(end.segment().line(), "expected end; found {{else}}");
    }
    new Cursor(end.rest(), end.segment().line()).expectEnd();
    return otherwise;
  }

  private static Stop expectStop(Stop stop, Lexer.Segment start, String what) {
    if (stop == null) {
      throw TemplateException.parse(start.line(), "unexpected EOF: {{" + what + "}} has no {{end}}");
    }
    return stop;
  }

  /** [{@code $a[, $b] :=|=}] command ({@code |} command)*. */
  private Node.Pipeline pipeline(Cursor tokens, boolean inRange) {
    tokens.skipSpace();
    List<String> variables = new ArrayList<>();
    boolean declares = false;
    int mark = tokens.position();
    if (tokens.peek().is(Token.Kind.VARIABLE)) {
      List<String> names = new ArrayList<>();
      names.add(tokens.take().text());
      tokens.skipSpace();
      if (inRange && tokens.peek().is(Token.Kind.COMMA)) {
        tokens.take();
        tokens.skipSpace();
        if (!tokens.peek().is(Token.Kind.VARIABLE)) {
          throw TemplateException.parse(tokens.line(), "range can only initialize variables");
        }
        names.add(tokens.take().text());
        tokens.skipSpace();
      }
      if (tokens.peek().is(Token.Kind.DECLARE) || tokens.peek().is(Token.Kind.ASSIGN)) {
        declares = tokens.take().is(Token.Kind.DECLARE);
        variables = names;
      } else {
        tokens.reset(mark);
      }
    }
    List<Node.Command> commands = new ArrayList<>();
    while (true) {
      tokens.skipSpace();
      commands.add(command(tokens));
      tokens.skipSpace();
      Token token = tokens.peek();
      if (token.is(Token.Kind.PIPE)) {
        tokens.take();
        continue;
      }
      if (token.is(Token.Kind.END) || token.is(Token.Kind.RIGHT_PAREN)) {
        break;
      }
      throw TemplateException.parse(tokens.line(), "unexpected \"" + token.text() + "\" in command");
    }
    return new Node.Pipeline(variables, declares, commands, tokens.line());
  }

  private Node.Command command(Cursor tokens) {
    List<Node.Operand> operands = new ArrayList<>();
    while (true) {
      Token token = tokens.peek();
      if (token.is(Token.Kind.END) || token.is(Token.Kind.PIPE) || token.is(Token.Kind.RIGHT_PAREN)) {
        break;
      }
      operands.add(operand(tokens));
      if (tokens.peek().is(Token.Kind.SPACE)) {
        tokens.skipSpace();
      } else if (!tokens.peek().is(Token.Kind.END) && !tokens.peek().is(Token.Kind.PIPE)
          && !tokens.peek().is(Token.Kind.RIGHT_PAREN)) {
        throw TemplateException.parse(tokens.line(), "unexpected \"" + tokens.peek().text() + "\" in operand");
      }
    }
    if (operands.isEmpty()) {
      throw TemplateException.parse(tokens.line(), "missing value for command");
    }
    return new Node.Command(operands);
  }

  private Node.Operand operand(Cursor tokens) {
    Token token = tokens.take();
    switch (token.kind()) {
      case DOT:
        return new Node.Dot(fields(tokens));
      case FIELD:
        List<String> chain = new ArrayList<>();
        chain.add(token.text());
        chain.addAll(fields(tokens));
        return new Node.Dot(chain);
      case VARIABLE:
        return new Node.Variable(token.text(), fields(tokens));
      case STRING:
        return new Node.Literal(NODES.textNode(token.text()));
      case NUMBER:
        return new Node.Literal(number(token));
      case LEFT_PAREN:
        Node.Pipeline inner = pipeline(tokens, false);
        if (!tokens.take().is(Token.Kind.RIGHT_PAREN)) {
          throw TemplateException.parse(tokens.line(), "unclosed left paren");
        }
        return new Node.Nested(inner, fields(tokens));
      case IDENTIFIER:
        switch (token.text()) {
          case "true", "false":
            return new Node.Literal(NODES.booleanNode(token.text().equals("true")));
          case "nil":
            return new Node.Literal(NullNode.getInstance());
          default:
            if (!Functions.exists(token.text())) {
              throw TemplateException.parse(tokens.line(), "function \"" + token.text() + "\" not defined");
            }
            return new Node.Function(token.text());
        }
      default:
        throw TemplateException.parse(tokens.line(), "unexpected \"" + token.text() + "\" in operand");
    }
  }

  private static List<String> fields(Cursor tokens) {
    List<String> fields = new ArrayList<>();
    while (tokens.peek().is(Token.Kind.FIELD)) {
      fields.add(tokens.take().text());
    }
    return fields;
  }

  private static com.fasterxml.jackson.databind.JsonNode number(Token token) {
    String text = token.text().replace("_", "");
    try {
      if (text.matches("[+-]?0[xX][0-9a-fA-F]+")) {
        boolean negative = text.startsWith("-");
        BigInteger value = new BigInteger(text.replaceFirst("[+-]?0[xX]", ""), 16);
        return NODES.numberNode(negative ? value.negate() : value);
      }
      if (text.matches("[+-]?\\d+")) {
        return NODES.numberNode(new BigInteger(text.startsWith("+") ? text.substring(1) : text));
      }
      return NODES.numberNode(new BigDecimal(text));
    } catch (NumberFormatException e) {
      throw TemplateException.parse(token.line(), "bad number syntax: \"" + token.text() + "\"");
    }
  }

  /** The tokens of one action, read front to back. */
  private static final class Cursor {
    private final List<Token> tokens;
    private final int line;
    private int at;

    Cursor(List<Token> tokens, int line) {
      this.tokens = tokens;
      this.line = line;
    }

    Token peek() {
      return tokens.get(at);
    }

    Token take() {
      Token token = tokens.get(at);
      if (!token.is(Token.Kind.END)) {
        at++;
      }
      return token;
    }

    void skipSpace() {
      while (peek().is(Token.Kind.SPACE)) {
        at++;
      }
    }

    int position() {
      return at;
    }

    void reset(int position) {
      at = position;
    }

    int line() {
      return line;
    }

    List<Token> remaining() {
      return tokens.subList(at, tokens.size());
    }

    void expectEnd() {
      skipSpace();
      if (!peek().is(Token.Kind.END)) {
        throw TemplateException.parse(line, "unexpected \"" + peek().text() + "\" in end");
      }
    }
  }
}
