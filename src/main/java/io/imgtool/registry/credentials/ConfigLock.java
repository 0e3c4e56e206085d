package io.imgtool.registry.credentials;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock of a config.json's read-modify-write, so that parallel logins and logouts
 * (a CI machine's jobs) each see the others' changes instead of overwriting them. It is an OS lock
 * on a {@code config.json.lock} file beside config.json, which is replaced by rename and so cannot
 * carry the lock itself; the lock file stays (deleting a lock file races with its next user).
 * File locks belong to the process, so threads of one JVM are serialised by an in-JVM lock first.
 */
final class ConfigLock implements AutoCloseable {
  static final String SUFFIX = ".lock";
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final ReentrantLock jvmLock;
  private final FileChannel channel;

  private ConfigLock(ReentrantLock jvmLock, FileChannel channel) {
    this.jvmLock = jvmLock;
    this.channel = channel;
  }

  /** Waits for the lock of config; creates its directory and the lock file when missing. */
  static ConfigLock acquire(Path config) throws IOException {
    Path dir = config.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path lockFile = dir.toRealPath().resolve(config.getFileName() + SUFFIX);
    createOwnerOnly(lockFile);
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    jvmLock.lock();
    try {
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
      try {
        channel.lock();
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      return new ConfigLock(jvmLock, channel);
    } catch (IOException | RuntimeException e) {
      jvmLock.unlock();
      throw e;
    }
  }

  private static void createOwnerOnly(Path lockFile) throws IOException {
    try {
      Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // another login made it: the same lock
    } catch (UnsupportedOperationException e) {
      try {
        Files.createFile(lockFile);
      } catch (FileAlreadyExistsException again) {
        // as above
      }
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
