package io.imgtool.registry;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A {@code Transfer-Encoding: chunked} body, decoded (RFC 9112 §7.1): the answers of a direct
 * upload are small, but a registry or a proxy in front of it may still send them in chunks.
 * Chunk extensions and trailers are read and dropped.
 */
final class ChunkedBody extends BlockInputStream {
  private static final int MAX_LINE = 4096;

  private final InputStream in;
  private long left;
  private boolean ended;

  ChunkedBody(InputStream in) {
    this.in = in;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (left == 0 && !nextChunk()) {
      return -1;
    }
    int n = in.read(bytes, offset, (int) Math.min(length, left));
    if (n < 0) {
      throw new EOFException("the answer ended inside a chunk");
    }
    left -= n;
    if (left == 0) {
      line(); // the CRLF after the chunk's data
    }
    return n;
  }

  /** Reads the next chunk's size; false at the last chunk, after its trailers. */
  private boolean nextChunk() throws IOException {
    if (ended) {
      return false;
    }
    String size = line();
    int semicolon = size.indexOf(';');
    try {
      left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
    } catch (NumberFormatException e) {
      throw new IOException("not a chunk size: " + size, e);
    }
    if (left < 0) {
      throw new IOException("not a chunk size: " + size);
    }
    if (left == 0) {
      ended = true;
      while (!line().isEmpty()) {
        // trailers
      }
      return false;
    }
    return true;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the answer ended inside a chunk header");
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("a chunk header longer than " + MAX_LINE + " bytes");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
