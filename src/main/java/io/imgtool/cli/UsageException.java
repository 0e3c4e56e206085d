package io.imgtool.cli;

/** A mistake in how imgtool was called (exit status 2), found after option parsing. */
public class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
