package io.imgtool.cli;

/** Library exceptions that mean "the command was called wrongly", so exit status 2. */
final class UsageErrors {
  private UsageErrors() {}

  static boolean isUsageError(Throwable cause) {
    return false;
  }
}
