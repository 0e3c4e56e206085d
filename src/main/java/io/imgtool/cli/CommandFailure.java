package io.imgtool.cli;

/** A failure the CLI explains in its own words (exit status 1), keeping the cause for --debug. */
class CommandFailure extends RuntimeException {
  CommandFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
