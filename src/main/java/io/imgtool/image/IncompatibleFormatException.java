package io.imgtool.image;

/**
 * A layer that cannot be written in the requested manifest format (Docker's format knows only
 * gzip layers). A usage error: the message says which layer and which option to change.
 */
public class IncompatibleFormatException extends IllegalArgumentException {
  public IncompatibleFormatException(String message) {
    super(message);
  }
}
