package io.imgtool.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest such as {@code sha256:<64 hex>}, as the OCI image spec defines it. */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512_HEX = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    if (!validHex(algorithm, hex)) {
      throw new IllegalArgumentException("invalid digest: " + algorithm + ":" + hex);
    }
  }

  /** Parses {@code algorithm:hex}; throws IllegalArgumentException when malformed. */
  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("invalid digest (expected sha256:<64 hex digits>): " + text);
    }
    String algorithm = text.substring(0, colon);
    String hex = text.substring(colon + 1);
    if (!validHex(algorithm, hex)) {
      throw new IllegalArgumentException("invalid digest (expected sha256:<64 hex digits>): " + text);
    }
    return new Digest(algorithm, hex);
  }

  public static boolean isValid(String text) {
    int colon = text.indexOf(':');
    return colon > 0 && validHex(text.substring(0, colon), text.substring(colon + 1));
  }

  public static Digest sha256(byte[] bytes) {
    return fromSha256(newSha256().digest(bytes));
  }

  public static Digest fromSha256(byte[] digestBytes) {
    return new Digest("sha256", HexFormat.of().formatHex(digestBytes));
  }

  /**
   * A SHA-256 digest: the JDK's for what stays small, OpenSSL's ({@link NativeSha256}) once the
   * data grows past 64 KiB and when it is there ({@link LazySha256}).
   */
  public static MessageDigest newSha256() {
    return new LazySha256();
  }

  /** A new hash of this digest's algorithm (sha256 or sha512, all a Digest can be), to check bytes against it. */
  public MessageDigest newHash() {
    if (!algorithm.equals("sha512")) {
      return newSha256();
    }
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required by every Java runtime", e);
    }
  }

  /** A SHA-256 digest for bulk data: OpenSSL's when it is there, else the JDK's. */
  static MessageDigest newBulkSha256() {
    return NativeSha.AVAILABLE ? NativeSha256.create() : LazySha256.jdk();
  }

  /**
   * Whether bulk SHA-256 is OpenSSL's: the JIT need not be warmed up for it. The first call loads
   * it, which a spare thread may do ahead of the first large blob.
   */
  public static boolean isSha256Native() {
    return NativeSha.AVAILABLE;
  }

  /** Holder: whether OpenSSL's SHA-256 loaded, asked once; false without JNA on the class path too. */
  private static final class NativeSha {
    static final boolean AVAILABLE = available();

    private static boolean available() {
      try {
        return NativeSha256.failure() == null;
      } catch (LinkageError e) { // JNA's classes are not there (a trimmed class path)
        return false;
      }
    }
  }

  private static boolean validHex(String algorithm, String hex) {
    return switch (algorithm) {
      case "sha256" -> SHA256_HEX.matcher(hex).matches();
      case "sha512" -> SHA512_HEX.matcher(hex).matches();
      default -> false;
    };
  }

  /** The first 12 hex digits, as Docker shows image IDs. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public int compareTo(Digest other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  // Written out, not the record's generated ones: those bootstrap through invokedynamic on first
  // use, which was 15% of the CPU of `imgtool images` (digests are map keys everywhere).
  @Override
  public boolean equals(Object other) {
    return other instanceof Digest digest && hex.equals(digest.hex) && algorithm.equals(digest.algorithm);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }
}
