package io.imgtool.cli;

/** The "what to do" line printed under an error, where one helps. */
final class Hints {
  private Hints() {}

  static String forFailure(Throwable cause) {
    return null;
  }
}
