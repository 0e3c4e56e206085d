package io.imgtool.layer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Writes a sparse file's content leaving its holes as holes: a block of zeros is skipped over, not
 * written, so the file system allocates nothing for it, as GNU tar extracts a {@code --sparse}
 * archive. Commons Compress hands over a sparse entry's holes as zeros; without this, a tar of a
 * few KiB unpacks to gigabytes of disk. Blocks are aligned to file offsets, so the holes the file
 * system sees are whole blocks; the content read back is the same either way.
 */
final class HoleWriter extends OutputStream {
  static final int BLOCK = 4096;
  private static final byte[] ZEROS = new byte[BLOCK];

  private final FileChannel channel;
  private long position;

  HoleWriter(FileChannel channel) {
    this.channel = channel;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int end = offset + length;
    while (offset < end) {
      int inBlock = (int) Math.min(BLOCK - position % BLOCK, end - offset);
      if (!isZero(bytes, offset, inBlock)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, inBlock);
        while (buffer.hasRemaining()) {
          channel.write(buffer, position + buffer.position() - offset);
        }
      }
      position += inBlock;
      offset += inBlock;
    }
  }

  private static boolean isZero(byte[] bytes, int offset, int length) {
    return Arrays.mismatch(bytes, offset, offset + length, ZEROS, 0, length) < 0;
  }

  /** A file that ends in a hole gets its length without a block: truncate cannot extend, one byte can. */
  @Override
  public void close() throws IOException {
    if (channel.size() < position) {
      channel.write(ByteBuffer.wrap(new byte[1]), position - 1);
    }
    channel.close();
  }
}
