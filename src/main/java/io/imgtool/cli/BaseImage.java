package io.imgtool.cli;

import io.imgtool.image.Image;
import io.imgtool.store.StoredImage;
import java.io.IOException;

/** The BASE argument of a commit: {@code scratch}, or a local image by name or ID. */
final class BaseImage {
  static final String SCRATCH = "scratch";

  private BaseImage() {}

  /** The base image, or null for scratch. */
  static Image resolve(String text, Session session) throws IOException {
    if (text.equals(SCRATCH)) {
      return null;
    }
    StoredImage stored = session.store().resolve(text);
    return session.store().image(stored.manifest());
  }
}
