package io.imgtool.cli.template;

/** One lexical item of an action: what it is, its text, and the line it starts on. */
record Token(Kind kind, String text, int line) {
  enum Kind {
    /** {@code .} alone. */
    DOT,
    /** {@code .Name}, one element of a field chain. */
    FIELD,
    /** {@code $} or {@code $name}. */
    VARIABLE,
    /** A function name or keyword. */
    IDENTIFIER,
    /** A quoted or raw string, already unquoted. */
    STRING,
    NUMBER,
    PIPE,
    LEFT_PAREN,
    RIGHT_PAREN,
    DECLARE,
    ASSIGN,
    COMMA,
    /** Whitespace between operands, which separates arguments. */
    SPACE,
    END
  }

  boolean is(Kind wanted) {
    return kind == wanted;
  }

  boolean isKeyword(String word) {
    return kind == Kind.IDENTIFIER && text.equals(word);
  }
}
