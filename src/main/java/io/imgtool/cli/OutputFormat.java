package io.imgtool.cli;

/** --format of the listing commands. */
enum OutputFormat {
  TABLE, JSON;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
