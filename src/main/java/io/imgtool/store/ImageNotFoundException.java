package io.imgtool.store;

/** No image in the store matches the name, digest or ID the user gave. */
public class ImageNotFoundException extends RuntimeException {
  private final String image;

  public ImageNotFoundException(String image) {
    super("No such image: " + image);
    this.image = image;
  }

  /** The argument as the user typed it. */
  public String image() {
    return image;
  }
}
