package io.imgtool.layer;

import java.util.Arrays;
import java.util.zip.Deflater;

/** A block deflated by java.util.zip, that is zlib, at a zlib level (1-9). */
final class ZlibBlockDeflater implements BlockDeflater {
  private final Deflater deflater;

  ZlibBlockDeflater(int level) {
    this.deflater = new Deflater(level, true);
  }

  @Override
  public Deflated deflate(byte[] input, int length, byte[] window, boolean last, byte[] output) {
    deflater.reset();
    if (window.length > 0) {
      deflater.setDictionary(window);
    }
    deflater.setInput(input, 0, length);
    if (last) {
      deflater.finish();
    }
    byte[] buffer = output;
    int written = 0;
    while (true) {
      if (written == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      int room = buffer.length - written;
      written += deflater.deflate(buffer, written, room, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
      // A sync flush is complete when it leaves room; a finish when the deflater says so.
      boolean done = last ? deflater.finished() : written < buffer.length;
      if (done) {
        return new Deflated(buffer, written);
      }
    }
  }

  @Override
  public void close() {
    deflater.end();
  }
}
