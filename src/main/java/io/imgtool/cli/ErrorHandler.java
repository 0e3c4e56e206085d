package io.imgtool.cli;

import io.imgtool.name.InvalidReferenceException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
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
        || cause instanceof InvalidReferenceException
        || UsageErrors.isUsageError(cause)) {
      return USAGE;
    }
    return FAILURE;
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof UncheckedIOException || cause instanceof CommandLine.ExecutionException
        || cause instanceof java.util.concurrent.ExecutionException
        || cause instanceof java.util.concurrent.CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The message a user should read: file-system errors name the file and what went wrong. */
  static String message(Throwable cause) {
    if (cause instanceof NoSuchFileException e) {
      return e.getFile() + ": no such file or directory";
    }
    if (cause instanceof AccessDeniedException e) {
      return e.getFile() + ": permission denied";
    }
    if (cause instanceof FileSystemException e) {
      String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
      return e.getFile() + ": " + reason;
    }
    if (cause instanceof FileNotFoundException e) {
      return e.getMessage();
    }
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return cause.getClass().getSimpleName() + (cause instanceof IOException ? " (I/O error)" : "");
    }
    return message;
  }
}
