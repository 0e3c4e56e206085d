package io.imgtool.cli;

import io.imgtool.images.Failures;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one or two lines on stderr and an exit status: 2 for usage errors, 1 for
 * everything else. Stack traces only with --debug.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IExitCodeExceptionMapper {
  static final int FAILURE = 1;
  static final int USAGE = 2;

  private final ImgtoolCommand root;

  ErrorHandler(ImgtoolCommand root) {
    this.root = root;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    root.stopProgress();
    Throwable cause = unwrap(ex);
    if (root.debug()) {
      cause.printStackTrace(err);
    }
    err.println("Error: " + message(cause));
    err.flush();
    return exitCode(cause);
  }

  @Override
  public int getExitCode(Throwable failure) {
    return exitCode(failure);
  }

  static int exitCode(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof CommandLine.ParameterException
        || cause instanceof UsageException
        || Failures.isUsageError(cause)) {
      return USAGE;
    }
    return FAILURE;
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CommandLine.ExecutionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return Failures.unwrap(cause);
  }

  static String message(Throwable cause) {
    return Failures.message(cause);
  }
}
