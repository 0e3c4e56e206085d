package io.imgtool.layer;

import java.nio.file.FileSystemException;

/**
 * A libc call on a path that failed: the path as {@link #getFile()}, the C library's description
 * of errno as {@link #getReason()}, and errno itself so callers can tell a refused call from a
 * filesystem that lacks the feature.
 */
final class PosixException extends FileSystemException {
  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EACCES = 13;
  static final int ERANGE = 34;
  static final int ENODATA = 61;
  /** Linux gives ENOTSUP and EOPNOTSUPP the same number. */
  static final int ENOTSUP = 95;
  static final int EOPNOTSUPP = 95;

  private final int errno;
  private final String call;

  PosixException(String file, String call, int errno, String reason) {
    super(file, null, reason);
    this.errno = errno;
    this.call = call;
  }

  int errno() {
    return errno;
  }

  /** The C function and argument that failed, e.g. "lsetxattr security.capability". */
  String call() {
    return call;
  }

  boolean isPermissionDenied() {
    return errno == EPERM || errno == EACCES;
  }

  boolean isUnsupported() {
    return errno == ENOTSUP || errno == EOPNOTSUPP;
  }

  boolean isNotFound() {
    return errno == ENOENT;
  }

  /** Names the call too, which the file and reason alone leave out. */
  @Override
  public String getMessage() {
    return getFile() + ": " + call + ": " + getReason();
  }
}
