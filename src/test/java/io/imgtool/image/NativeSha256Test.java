package io.imgtool.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** OpenSSL's SHA-256 ({@link NativeSha256}) against the JDK's, on the ways callers feed a digest. */
class NativeSha256Test {
  /** Under CI the library must be there (scripts/install-test-deps installs it): green means it ran. */
  @Test
  @EnabledIfEnvironmentVariable(named = "CI", matches = "true")
  void libcryptoIsUsedUnderCi() {
    assertNull(NativeSha256.failure(), () -> "OpenSSL's SHA-256 did not load: " + NativeSha256.failure());
    assertInstanceOf(NativeSha256.class, Digest.newBulkSha256());
  }

  /** Small documents stay with the JDK; a stream that grows past the threshold is handed over whole. */
  @Test
  void theLazyDigestAgreesAcrossTheSwitch() throws Exception {
    Random random = new Random(5);
    int threshold = LazySha256.THRESHOLD;
    for (int size : new int[] {0, 1, 100, threshold - 1, threshold, threshold + 1, 3 * threshold + 7, 1 << 20}) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(bytes);
      MessageDigest lazy = Digest.newSha256();
      for (int at = 0; at < size; ) { // uneven pieces, one of them a single byte
        int n = Math.min(size - at, at % 3 == 0 ? 1 : 10_000);
        if (n == 1) {
          lazy.update(bytes[at]);
        } else {
          lazy.update(bytes, at, n);
        }
        at += n;
      }
      assertArrayEquals(expected, lazy.digest(), "size " + size);
      lazy.update(bytes); // and again after the reset that digest() does
      assertArrayEquals(expected, lazy.digest(), "again, size " + size);
    }
  }

  @Test
  void agreesWithTheJdkOnEveryWayOfFeedingIt() throws Exception {
    MessageDigest ours = NativeSha256.create();
    if (ours == null) {
      return; // not on this machine: Digest.newSha256() is the JDK's, which needs no comparison
    }
    Random random = new Random(12);
    for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, (1 << 18) - 1, 1 << 18, (1 << 18) + 1, 3_000_001}) {
      byte[] bytes = new byte[size + 17];
      random.nextBytes(bytes);
      MessageDigest jdk = MessageDigest.getInstance("SHA-256");
      jdk.update(bytes, 17, size);
      byte[] expected = jdk.digest();

      ours.update(bytes, 17, size); // an offset, and more than one native chunk
      assertArrayEquals(expected, ours.digest(), "whole, size " + size);
      for (int i = 17; i < size + 17; i += Math.max(1, size / 7)) { // the digest resets after digest()
        int end = Math.min(size + 17, i + Math.max(1, size / 7));
        if (end - i == 1) {
          ours.update(bytes[i]);
        } else {
          ours.update(bytes, i, end - i);
        }
      }
      assertArrayEquals(expected, ours.digest(), "in pieces, size " + size);
      ours.update(new byte[] {1, 2, 3});
      ours.reset();
      ours.update(bytes, 17, size);
      assertArrayEquals(expected, ours.digest(), "after reset, size " + size);
    }
  }
}
