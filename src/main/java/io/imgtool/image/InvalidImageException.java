package io.imgtool.image;

/** An image document (manifest, index, config) or blob that does not meet the spec. */
public class InvalidImageException extends RuntimeException {
  public InvalidImageException(String message) {
    super(message);
  }

  public InvalidImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
