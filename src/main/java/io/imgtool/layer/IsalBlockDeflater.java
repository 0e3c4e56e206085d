package io.imgtool.layer;

import com.sun.jna.Memory;

/**
 * A block deflated by ISA-L at {@link Isal#LEVEL}. The stream state, ISA-L's level buffer and the
 * input and output buffers live outside the Java heap and are reused for every block.
 */
final class IsalBlockDeflater implements BlockDeflater {
  private final Memory stream = new Memory(Isal.STREAM_SIZE);
  private final Memory levelBuffer = new Memory(Isal.LEVEL_BUFFER_SIZE);
  private Memory in = new Memory(1);
  private Memory out = new Memory(1);

  IsalBlockDeflater() {
    if (!Isal.available()) {
      throw new IllegalStateException("ISA-L is not available: " + Isal.failure());
    }
  }

  @Override
  public Deflated deflate(byte[] input, int length, byte[] window, boolean last, byte[] output) {
    int room = Math.max(output.length, bound(length));
    in = atLeast(in, length);
    out = atLeast(out, room);
    in.write(0, input, 0, length);
    start(last);
    if (window.length > 0) {
      check(Isal.isal_deflate_set_dict(stream, window, window.length), "isal_deflate_set_dict");
    }
    stream.setPointer(Isal.NEXT_IN, in);
    stream.setInt(Isal.AVAIL_IN, length);
    stream.setPointer(Isal.NEXT_OUT, out);
    stream.setInt(Isal.AVAIL_OUT, room);
    check(Isal.isal_deflate(stream), "isal_deflate");
    requireComplete(last);
    int written = stream.getInt(Isal.TOTAL_OUT);
    byte[] result = output.length >= written ? output : new byte[room];
    out.read(0, result, 0, written);
    return new Deflated(result, written);
  }

  private void start(boolean last) {
    Isal.isal_deflate_init(stream);
    stream.setInt(Isal.LEVEL_FIELD, Isal.LEVEL);
    stream.setInt(Isal.LEVEL_BUF_SIZE, Isal.LEVEL_BUFFER_SIZE);
    stream.setPointer(Isal.LEVEL_BUF, levelBuffer);
    stream.setShort(Isal.GZIP_FLAG, (short) 0); // raw deflate: the gzip framing is ours
    stream.setShort(Isal.END_OF_STREAM, (short) (last ? 1 : 0));
    stream.setShort(Isal.FLUSH, last ? Isal.NO_FLUSH : Isal.SYNC_FLUSH);
  }

  /** With room for the worst case, one call consumes the block and flushes or ends the stream. */
  private void requireComplete(boolean last) {
    boolean consumed = stream.getInt(Isal.AVAIL_IN) == 0 && stream.getInt(Isal.AVAIL_OUT) > 0;
    boolean ended = !last || stream.getInt(Isal.STATE) == Isal.ZSTATE_END;
    if (!consumed || !ended) {
      throw new IllegalStateException("isal_deflate stopped before the end of the block");
    }
  }

  /** Stored blocks cost 5 bytes per 64 KiB; the rest is headroom for headers and the flush. */
  private static int bound(int length) {
    return length + length / 1024 + 1024;
  }

  private static Memory atLeast(Memory memory, int size) {
    if (memory.size() >= size) {
      return memory;
    }
    memory.close();
    return new Memory(size);
  }

  private static void check(int status, String call) {
    if (status != Isal.COMP_OK) {
      throw new IllegalStateException(call + " failed with status " + status);
    }
  }

  @Override
  public void close() {
    stream.close();
    levelBuffer.close();
    in.close();
    out.close();
  }
}
