package io.imgtool.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream whose reading is all in {@link #read(byte[], int, int)}: the single-byte read goes
 * through it, so each body class states its rules (a length, chunks, deadlines) once.
 */
abstract class BlockInputStream extends InputStream {
  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] bytes, int offset, int length) throws IOException;
}
