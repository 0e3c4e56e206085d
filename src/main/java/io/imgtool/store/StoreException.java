package io.imgtool.store;

/** The store cannot be used as it is: not an OCI layout, corrupt, or changed under our feet. */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
