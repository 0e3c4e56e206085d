package io.imgtool.name;

/** A malformed image name; always a usage error. */
public class InvalidReferenceException extends IllegalArgumentException {
  public InvalidReferenceException(String message) {
    super(message);
  }
}
