package io.imgtool.image;

import java.util.Locale;

/** How a layer blob is compressed. */
public enum Compression {
  NONE,
  GZIP,
  ZSTD;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
