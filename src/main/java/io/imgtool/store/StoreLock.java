package io.imgtool.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's exclusive write lock, held while index.json is read, changed and replaced, while
 * staged blobs are moved in, and while garbage is collected.
 *
 * <p>The lock is an OS file lock on {@code oci-layout}, a file every layout has and nobody
 * rewrites, so locking adds no file to the layout. Two JVM facts shape this class: file locks
 * belong to the process, so threads of one JVM are serialised by an in-JVM lock first; and they
 * are POSIX locks, so closing <em>any</em> descriptor of the file in this JVM releases them. That
 * is why oci-layout is only ever opened here, under the in-JVM lock ({@link #readUnderJvmLock}).
 */
final class StoreLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final ReentrantLock jvmLock;
  private final FileChannel channel;

  private StoreLock(ReentrantLock jvmLock, FileChannel channel) {
    this.jvmLock = jvmLock;
    this.channel = channel;
  }

  /** Waits for the lock; returns null when the store has no oci-layout (it does not exist). */
  static StoreLock acquire(Layout layout) throws IOException {
    Path ociLayout = layout.ociLayout();
    ReentrantLock jvmLock = jvmLockFor(ociLayout);
    if (jvmLock == null) {
      return null;
    }
    if (jvmLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("the store lock of " + layout.root() + " is not reentrant");
    }
    jvmLock.lock();
    try {
      FileChannel channel = lockCurrentFile(ociLayout);
      if (channel == null) {
        jvmLock.unlock();
        return null;
      }
      return new StoreLock(jvmLock, channel);
    } catch (IOException | RuntimeException | Error e) {
      jvmLock.unlock();
      throw e;
    }
  }

  /**
   * Locks the file that is at the path once the lock is granted: a store being created can be
   * rolled back (its oci-layout deleted) while we wait, and a lock on a deleted file guards nothing.
   */
  private static FileChannel lockCurrentFile(Path ociLayout) throws IOException {
    while (true) {
      Object before = fileKey(ociLayout);
      if (before == null) {
        return null;
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(ociLayout, StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        continue;
      } catch (AccessDeniedException e) {
        throw new StoreException("cannot lock the image store for writing: permission denied on "
            + ociLayout + "; check the owner of the store or choose another with --store", e);
      }
      try {
        channel.lock();
        if (Objects.equals(before, fileKey(ociLayout))) {
          return channel;
        }
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      channel.close();
    }
  }

  /** Reads oci-layout without disturbing a lock another thread of this JVM holds on it. */
  static byte[] readUnderJvmLock(Layout layout) throws IOException {
    ReentrantLock jvmLock = jvmLockFor(layout.ociLayout());
    if (jvmLock == null) {
      throw new NoSuchFileException(layout.ociLayout().toString());
    }
    jvmLock.lock();
    try {
      return Files.readAllBytes(layout.ociLayout());
    } finally {
      jvmLock.unlock();
    }
  }

  private static ReentrantLock jvmLockFor(Path ociLayout) throws IOException {
    try {
      return JVM_LOCKS.computeIfAbsent(ociLayout.toRealPath(), p -> new ReentrantLock());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static Object fileKey(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      jvmLock.unlock();
    }
  }
}
