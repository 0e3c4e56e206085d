package io.imgtool.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * SHA-256 that decides by size: what ends within {@link #THRESHOLD} bytes (manifests, configs,
 * index entries, the most a listing command hashes) is hashed by the JDK, and only a stream that
 * grows past it makes OpenSSL's {@link NativeSha256} load (JNA and libcrypto, ~140 classes and a
 * native library: `images` took 0.37 -> 0.47 s when every digest loaded it). The bytes before
 * the switch are kept and handed over, so the result is the same either way.
 */
final class LazySha256 extends MessageDigest {
  static final int THRESHOLD = 1 << 16;

  private byte[] pending = new byte[256];
  private int count;
  private MessageDigest bulk;

  LazySha256() {
    super("SHA-256");
  }

  @Override
  protected int engineGetDigestLength() {
    return 32;
  }

  @Override
  protected void engineUpdate(byte input) {
    engineUpdate(new byte[] {input}, 0, 1);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int length) {
    if (bulk == null && count + length > THRESHOLD) {
      bulk = Digest.newBulkSha256();
      bulk.update(pending, 0, count);
      count = 0;
      pending = new byte[0];
    }
    if (bulk != null) {
      bulk.update(input, offset, length);
      return;
    }
    if (count + length > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(count + length, pending.length * 2));
    }
    System.arraycopy(input, offset, pending, count, length);
    count += length;
  }

  @Override
  protected byte[] engineDigest() {
    byte[] digest;
    if (bulk != null) {
      digest = bulk.digest();
    } else {
      MessageDigest small = jdk();
      small.update(pending, 0, count);
      digest = small.digest();
    }
    engineReset();
    return digest;
  }

  @Override
  protected void engineReset() {
    bulk = null;
    count = 0;
    if (pending.length > 4096 || pending.length == 0) {
      pending = new byte[256];
    }
  }

  static MessageDigest jdk() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
