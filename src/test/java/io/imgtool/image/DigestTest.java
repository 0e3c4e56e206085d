package io.imgtool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
  @Test
  void hashesBytesWithSha256() {
    Digest digest = Digest.sha256("hello".getBytes(StandardCharsets.UTF_8));
    assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        digest.toString());
    assertEquals("2cf24dba5fb0", digest.shortHex());
  }

  @Test
  void parsesAndRefusesMalformedDigests() {
    String text = "sha256:" + "a".repeat(64);
    assertEquals(text, Digest.parse(text).toString());
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "A".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:abc"));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("md5:" + "a".repeat(32)));
    assertFalse(Digest.isValid("a".repeat(64)));
  }
}
