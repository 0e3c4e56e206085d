package io.imgtool.cli;

import io.imgtool.image.Platform;

/** --platform values: malformed ones are usage errors. */
final class Platforms {
  private Platforms() {}

  /** The platform named, or this machine's when none is. */
  static Platform parse(String text) {
    if (text == null) {
      return Platform.host();
    }
    try {
      return Platform.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
