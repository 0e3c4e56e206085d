package io.imgtool.store;

import java.util.List;

/** An image ID prefix that matches more than one image; the message lists the candidates. */
public class AmbiguousImageException extends RuntimeException {
  private final List<StoredImage> candidates;

  public AmbiguousImageException(String prefix, List<StoredImage> candidates) {
    super("image ID prefix \"" + prefix + "\" is ambiguous; it matches " + describe(candidates)
        + "; give more digits or a name");
    this.candidates = List.copyOf(candidates);
  }

  public List<StoredImage> candidates() {
    return candidates;
  }

  private static String describe(List<StoredImage> candidates) {
    StringBuilder s = new StringBuilder();
    for (StoredImage image : candidates) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(image.id().shortHex())
          .append(" (").append(image.name().map(n -> n.familiar()).orElse("<none>"));
      s.append(", manifest ").append(image.manifest().digest().shortHex()).append(')');
    }
    return s.toString();
  }
}
