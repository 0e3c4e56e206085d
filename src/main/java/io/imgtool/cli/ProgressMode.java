package io.imgtool.cli;

/** How progress is shown on stderr. */
public enum ProgressMode {
  AUTO, TTY, PLAIN, NONE;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
