package io.imgtool.layer;

/** One line of a filesystem diff, as {@code docker diff} prints it: {@code A /etc/foo}. */
public record Change(Kind kind, String path) {
  public enum Kind {
    ADDED('A'),
    CHANGED('C'),
    DELETED('D');

    private final char letter;

    Kind(char letter) {
      this.letter = letter;
    }

    public char letter() {
      return letter;
    }
  }

  /** {@code path} is relative to the root, slash-separated, without a leading slash. */
  public Change {
    if (path.isEmpty() || path.startsWith("/")) {
      throw new IllegalArgumentException("change path must be relative and non-empty: " + path);
    }
  }

  @Override
  public String toString() {
    return kind.letter + " /" + path;
  }
}
