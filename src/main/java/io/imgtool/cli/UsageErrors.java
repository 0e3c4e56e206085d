package io.imgtool.cli;

import io.imgtool.image.IncompatibleFormatException;
import io.imgtool.mutate.InvalidInstructionException;

/** Library exceptions that mean "the command was called wrongly", so exit status 2. */
final class UsageErrors {
  private UsageErrors() {}

  static boolean isUsageError(Throwable cause) {
    return cause instanceof InvalidInstructionException
        || cause instanceof IncompatibleFormatException;
  }
}
