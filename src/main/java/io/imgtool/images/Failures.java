package io.imgtool.images;

import io.imgtool.image.IncompatibleFormatException;
import io.imgtool.mutate.InvalidInstructionException;
import io.imgtool.name.InvalidReferenceException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failure means to a user: its message in their words, and whether it was a usage error. */
public final class Failures {
  private Failures() {}

  /** Exceptions that mean "the command was called wrongly", so exit status 2. */
  public static boolean isUsageError(Throwable failure) {
    Throwable cause = unwrap(failure);
    return cause instanceof InvalidRequestException
        || cause instanceof InvalidReferenceException
        || cause instanceof InvalidInstructionException
        || cause instanceof IncompatibleFormatException;
  }

  /** The failure inside the wrappers that only carry it across threads or checked boundaries. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof UncheckedIOException || cause instanceof ExecutionException
        || cause instanceof CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The message a user should read: file-system errors name the file and what went wrong. */
  public static String message(Throwable failure) {
    Throwable cause = unwrap(failure);
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
    // Wrappers that only repeat their cause ("java.io.IOException: x", as the JDK's HTTP client
    // wraps) or say nothing: the cause's words, never a Java class name.
    Throwable said = cause;
    while (said.getCause() != null && (said.getMessage() == null || said.getMessage().isBlank()
        || said.getMessage().equals(said.getCause().toString()))) {
      said = said.getCause();
    }
    if (said != cause) {
      return message(said);
    }
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return cause instanceof IOException ? "I/O error (run with --debug for details)"
          : "internal error (run with --debug for details)";
    }
    return message;
  }
}
