package io.imgtool.archive;

/** An archive or layout that is not what it claims to be, or lacks what an image needs. */
public class ArchiveException extends RuntimeException {
  public ArchiveException(String message) {
    super(message);
  }

  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
