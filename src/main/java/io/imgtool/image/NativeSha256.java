package io.imgtool.image;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.security.MessageDigest;

/**
 * SHA-256 by the system's OpenSSL (libcrypto.so.3, or 1.1 on older systems), bound
 * through JNA on first use. The JDK's SHA-256 is fast only once C2 has compiled it with the SHA
 * extensions; a command of a second or two hashes most of its bytes before that, in the
 * interpreter and C1 (a pull spent a third of its CPU on hashing and compiling). OpenSSL uses
 * the CPU's SHA extensions from the first byte: 86 MiB in 63 ms against the JDK's 160 ms with
 * C2 and 1,020 ms with C1 only, in a fresh JVM (bench/README.md). When libcrypto cannot be
 * loaded, or {@code -Dimgtool.sha=jdk} is given, {@link Digest#newSha256} gives the JDK's.
 */
final class NativeSha256 extends MessageDigest {
  static final String LIBRARY = "libcrypto.so.3";
  static final String LIBRARY_1_1 = "libcrypto.so.1.1";
  /** {@code -Dimgtool.sha=jdk} keeps the JDK's SHA-256, for comparisons and as a way out. */
  static final String PROPERTY = "imgtool.sha";
  private static final int LENGTH = 32;
  /** Bytes copied into native memory per call: large enough that a call's cost is nothing. */
  private static final int CHUNK = 1 << 18;
  private static final Cleaner CLEANER = Cleaner.create();
  private static final Throwable FAILURE = bind();

  private final Context context;

  private NativeSha256() {
    super("SHA-256");
    this.context = new Context();
    CLEANER.register(this, context);
    engineReset();
  }

  /** A new digest, or null when the library is not there (or not wanted). */
  static MessageDigest create() {
    return FAILURE == null ? new NativeSha256() : null;
  }

  /** Why the JDK's digest is used instead; null when OpenSSL's is. */
  static Throwable failure() {
    return FAILURE;
  }

  @Override
  protected int engineGetDigestLength() {
    return LENGTH;
  }

  @Override
  protected void engineUpdate(byte input) {
    engineUpdate(new byte[] {input}, 0, 1);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int length) {
    for (int done = 0; done < length; ) {
      int n = Math.min(CHUNK, length - done);
      context.buffer.write(0, input, offset + done, n);
      check(EVP_DigestUpdate(context.md, context.buffer, n), "EVP_DigestUpdate");
      done += n;
    }
  }

  @Override
  protected byte[] engineDigest() {
    byte[] digest = new byte[LENGTH];
    check(EVP_DigestFinal_ex(context.md, context.buffer, null), "EVP_DigestFinal_ex");
    context.buffer.read(0, digest, 0, LENGTH);
    engineReset();
    return digest;
  }

  @Override
  protected void engineReset() {
    check(EVP_DigestInit_ex(context.md, EVP_sha256(), null), "EVP_DigestInit_ex");
  }

  private static void check(int result, String call) {
    if (result != 1) {
      throw new IllegalStateException(call + " failed in " + LIBRARY);
    }
  }

  /** The native state, freed when the digest is unreachable. */
  private static final class Context implements Runnable {
    final Pointer md = EVP_MD_CTX_new();
    final Memory buffer = new Memory(CHUNK);

    Context() {
      if (md == null) {
        throw new OutOfMemoryError("EVP_MD_CTX_new failed in " + LIBRARY);
      }
    }

    @Override
    public void run() {
      EVP_MD_CTX_free(md);
      buffer.close();
    }
  }

  private static Throwable bind() {
    if ("jdk".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
      return new UnsupportedOperationException("-D" + PROPERTY + "=jdk");
    }
    try {
      if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
        return new UnsupportedOperationException("OpenSSL's SHA-256 is used on 64-bit Linux only");
      }
      // Found by its soname, as the dynamic linker finds it, without JNA's "ldconfig -p".
      if (System.getProperty("jna.platform.library.path") == null) {
        System.setProperty("jna.platform.library.path", "");
      }
      register();
      check(selfTest(), "the known-answer test");
      return null;
    } catch (LinkageError | RuntimeException e) { // not installed, JNA cannot load, or wrong answers
      return e;
    }
  }

  /** OpenSSL 3 first; 1.1 (older distributions) has the same calls. */
  private static void register() {
    try {
      Native.register(NativeSha256.class, LIBRARY);
    } catch (UnsatisfiedLinkError e) {
      try {
        Native.register(NativeSha256.class, LIBRARY_1_1);
      } catch (UnsatisfiedLinkError e2) {
        e.addSuppressed(e2);
        throw e;
      }
    }
  }

  /** SHA-256("abc") of FIPS 180-2, so that a library that binds but hashes wrongly is never used. */
  private static int selfTest() {
    Pointer md = EVP_MD_CTX_new();
    try (Memory memory = new Memory(LENGTH)) {
      memory.write(0, new byte[] {'a', 'b', 'c'}, 0, 3);
      if (EVP_DigestInit_ex(md, EVP_sha256(), null) != 1 || EVP_DigestUpdate(md, memory, 3) != 1
          || EVP_DigestFinal_ex(md, memory, null) != 1) {
        return 0;
      }
      String hex = java.util.HexFormat.of().formatHex(memory.getByteArray(0, LENGTH));
      return hex.equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ? 1 : 0;
    } finally {
      EVP_MD_CTX_free(md);
    }
  }

  private static native Pointer EVP_MD_CTX_new();

  private static native void EVP_MD_CTX_free(Pointer context);

  private static native Pointer EVP_sha256();

  private static native int EVP_DigestInit_ex(Pointer context, Pointer type, Pointer engine);

  private static native int EVP_DigestUpdate(Pointer context, Pointer data, long count);

  private static native int EVP_DigestFinal_ex(Pointer context, Pointer digest, Pointer length);
}
