package io.imgtool.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.VerifyingInputStream.BlobMismatchException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which mismatches say the bytes were cut on the way (worth a second try) and which say they are wrong. */
class VerifyingInputStreamTest {
  private static final byte[] BLOB = "the blob's bytes".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.sha256(BLOB);

  @Test
  void theDeclaredBytesAreVerified() throws IOException {
    try (VerifyingInputStream in = open(BLOB, BLOB.length)) {
      assertArrayEquals(BLOB, in.readAllBytes());
      assertTrue(in.isVerified());
    }
  }

  @Test
  void fewerBytesThanDeclaredAreACutBody() {
    byte[] cut = java.util.Arrays.copyOf(BLOB, 5);
    BlobMismatchException e = assertThrows(BlobMismatchException.class, () -> open(cut, BLOB.length).readAllBytes());
    assertTrue(e.isTruncated(), e.getMessage());
    assertTrue(e.getMessage().contains("5 bytes instead of " + BLOB.length), e.getMessage());
  }

  @Test
  void moreBytesThanDeclaredAreWrongBytes() {
    byte[] longer = (new String(BLOB, StandardCharsets.UTF_8) + "!").getBytes(StandardCharsets.UTF_8);
    BlobMismatchException e = assertThrows(BlobMismatchException.class, () -> open(longer, BLOB.length).readAllBytes());
    assertFalse(e.isTruncated(), e.getMessage());
    assertTrue(e.getMessage().contains("longer than the " + BLOB.length + " bytes declared"), e.getMessage());
  }

  @Test
  void otherBytesOfTheDeclaredSizeAreWrongBytes() {
    byte[] other = BLOB.clone();
    other[0] ^= 1;
    BlobMismatchException e = assertThrows(BlobMismatchException.class, () -> open(other, BLOB.length).readAllBytes());
    assertFalse(e.isTruncated(), e.getMessage());
    assertTrue(e.getMessage().contains("is corrupt: its content hashes to"), e.getMessage());
  }

  private static VerifyingInputStream open(byte[] served, long declared) {
    InputStream in = new ByteArrayInputStream(served);
    return new VerifyingInputStream(in, DIGEST, declared, "blob " + DIGEST, n -> { });
  }
}
