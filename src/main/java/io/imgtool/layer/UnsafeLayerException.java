package io.imgtool.layer;

/**
 * A layer entry that would write outside the target directory ({@code ..}, an absolute name, a
 * path through a symlink, a hard link to outside) and was refused.
 */
public class UnsafeLayerException extends RuntimeException {
  public UnsafeLayerException(String message) {
    super(message);
  }

  static UnsafeLayerException refused(String entryName, String reason) {
    return new UnsafeLayerException("refused layer entry \"" + entryName + "\": " + reason
        + "; the layer would write outside the target directory, do not use this image");
  }

  /** The same refusal, naming the layer it came from. */
  UnsafeLayerException inLayer(String layer) {
    return new UnsafeLayerException("layer " + layer + ": " + getMessage());
  }
}
