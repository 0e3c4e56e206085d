package io.imgtool.images;

/** An image is neither in the store nor obtainable where its name points; the cause says why. */
public class ImageUnavailableException extends RuntimeException {
  public ImageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
