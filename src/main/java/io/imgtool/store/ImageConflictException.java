package io.imgtool.store;

/** A removal Docker would refuse without --force: an image ID that several names point to. */
public class ImageConflictException extends RuntimeException {
  public ImageConflictException(String message) {
    super(message);
  }
}
