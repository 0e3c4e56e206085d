package io.imgtool.cli.template;

/**
 * A template that cannot be parsed or run, with Go's wording ({@code template: :1: function
 * "foo" not defined}), so that a Docker user recognises it.
 */
public class TemplateException extends RuntimeException {
  private final boolean parsing;

  TemplateException(String message, boolean parsing) {
    super(message);
    this.parsing = parsing;
  }

  static TemplateException parse(int line, String message) {
    return new TemplateException("template parsing error: template: :" + line + ": " + message, true);
  }

  static TemplateException exec(String message) {
    return new TemplateException("template: " + message, false);
  }

  /** True when the template text itself is wrong (a usage error), not its run on some data. */
  public boolean isParseError() {
    return parsing;
  }
}
