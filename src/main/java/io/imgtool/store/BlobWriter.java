package io.imgtool.store;

import io.imgtool.image.Digest;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.VerifyingInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Streams one blob into a staging area, hashing it on the way. {@link #finish} makes it durable
 * and checks its digest; {@link #close} without finish abandons it. Not thread-safe: one writer
 * per thread, any number of writers per staging.
 */
public final class BlobWriter extends OutputStream {
  /** Reads of a socket or file this large pass the stream buffers by. */
  private static final int COPY_BUFFER = 1 << 18;
  private final Staging staging;
  private final Path temp;
  private final FileOutputStream file;
  private final OutputStream out;
  private final MessageDigest sha256 = Digest.newSha256();
  private long size;
  private boolean done;
  private boolean hashing = true;

  BlobWriter(Staging staging, Path temp) throws IOException {
    this.staging = staging;
    this.temp = temp;
    this.file = new FileOutputStream(temp.toFile());
    this.out = new BufferedOutputStream(file, 1 << 16);
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    try {
      out.write(b);
    } catch (IOException e) {
      throw inStore(e);
    }
    if (hashing) {
      sha256.update((byte) b);
    }
    size++;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    ensureOpen();
    try {
      out.write(bytes, offset, length);
    } catch (IOException e) {
      throw inStore(e);
    }
    if (hashing) {
      sha256.update(bytes, offset, length);
    }
    size += length;
  }

  /** "No space left on device" says nothing of where: the store it happened in does. */
  private IOException inStore(IOException e) {
    if (e instanceof java.nio.file.FileSystemException) {
      return e;
    }
    Path store = temp.getParent().getParent();
    java.nio.file.FileSystemException named = new java.nio.file.FileSystemException(store.toString(), null,
        "writing a blob into the image store: " + e.getMessage());
    named.initCause(e);
    return named;
  }

  /**
   * Ends the blob: fsync, then a digest check when {@code expected} is given (a mismatch
   * deletes the bytes and throws {@link InvalidImageException}), then it joins the staging.
   */
  public StagedBlob finish(Digest expected) throws IOException {
    ensureOpen();
    if (expected != null && !expected.algorithm().equals("sha256")) {
      close();
      throw new IllegalArgumentException("only sha256 blobs can be stored, not " + expected);
    }
    sync();
    Digest actual = Digest.fromSha256(sha256.digest());
    if (expected != null && !expected.equals(actual)) {
      Files.deleteIfExists(temp);
      throw new InvalidImageException("blob content does not match its digest: expected " + expected
          + ", got " + actual + " (" + size + " bytes)");
    }
    return staging.accept(temp, actual, size);
  }

  /**
   * Copies a stream that checks its own digest and size to its end, then ends the blob as
   * {@link #finish} does, under that digest. The stream's hash is the one check: a pulled blob is
   * hashed once, not twice. A stream that throws (wrong bytes, too many, too few) leaves nothing.
   */
  public StagedBlob finishFrom(VerifyingInputStream in) throws IOException {
    ensureOpen();
    Digest expected = in.expected();
    if (!expected.algorithm().equals("sha256")) {
      close();
      throw new IllegalArgumentException("only sha256 blobs can be stored, not " + expected);
    }
    hashing = false;
    byte[] buffer = new byte[COPY_BUFFER];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      write(buffer, 0, n);
    }
    if (!in.isVerified()) {
      throw new IllegalStateException("the stream ended without verifying " + expected);
    }
    sync();
    return staging.accept(temp, expected, size);
  }

  private void sync() throws IOException {
    done = true;
    try {
      out.flush();
      file.getFD().sync();
    } catch (IOException e) {
      throw inStore(e);
    } finally {
      out.close();
    }
  }

  /** Abandons an unfinished blob; after {@link #finish} it does nothing. */
  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      try {
        out.close();
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  private void ensureOpen() throws IOException {
    if (done) {
      throw new IOException("blob writer is already finished or closed");
    }
  }
}
