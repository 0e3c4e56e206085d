package io.imgtool.images;

/** The request cannot be carried out as asked (a wrong combination, a missing directory): exit 2. */
public class InvalidRequestException extends IllegalArgumentException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
