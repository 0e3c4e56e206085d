package io.imgtool.layer;

/** The one wording of a tar header whose checksum does not match, whichever reader finds it. */
final class TarChecksum {
  private TarChecksum() {}

  /** What a tar reader throws for such a header; whoever knows the layer adds its name. */
  static final class MismatchException extends java.io.IOException {
    MismatchException(String headerName) {
      super(mismatch(headerName));
    }
  }

  /** Names the header's entry when its name is text; a header of random bytes has none. */
  static String mismatch(String headerName) {
    boolean printable = !headerName.isEmpty() && headerName.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
    return (printable ? "the tar header of \"" + headerName + "\"" : "a tar header")
        + " has a wrong checksum (the tar is corrupt or was altered)";
  }
}
