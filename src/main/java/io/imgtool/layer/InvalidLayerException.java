package io.imgtool.layer;

import java.util.Optional;

/**
 * A layer tar that imgtool refuses: hostile or malformed entries, or data that is not a (complete)
 * tar archive. The message names the source file and, when known, the entry.
 */
public class InvalidLayerException extends RuntimeException {
  private final String source;
  private final String entry;

  /** A refused entry. */
  public InvalidLayerException(String source, String entry, String reason) {
    super("invalid layer " + source + ", entry \"" + entry + "\": " + reason);
    this.source = source;
    this.entry = entry;
  }

  /** A layer that cannot be read as a whole (not a tar, unsupported compression). */
  public InvalidLayerException(String source, String reason) {
    this(source, reason, (Throwable) null);
  }

  /** A layer that cannot be read as a whole (not a tar, truncated, corrupt compression). */
  public InvalidLayerException(String source, String reason, Throwable cause) {
    super("invalid layer " + source + ": " + reason, cause);
    this.source = source;
    this.entry = null;
  }

  /** The file path (or "-") the layer came from. */
  public String source() {
    return source;
  }

  /** The name of the refused entry, as written in the tar. */
  public Optional<String> entry() {
    return Optional.ofNullable(entry);
  }
}
