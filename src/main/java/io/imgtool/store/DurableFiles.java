package io.imgtool.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** File writes that survive a crash: data reaches the disk before a name points at it. */
final class DurableFiles {
  private DurableFiles() {}

  /** Atomically replaces (or creates) target: temp file beside it, fsync, rename, fsync dir. */
  static void replace(Path target, byte[] bytes) throws IOException {
    Path temp = tempBeside(target);
    try {
      writeSynced(temp, bytes);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(target.getParent());
  }

  /**
   * Creates target with the whole content in one step, unless it exists. A hard link, unlike a
   * rename, never replaces an existing file, so a concurrent creator's file (and any lock on it)
   * stays. Returns true when this call created the file.
   */
  static boolean createExclusively(Path target, byte[] bytes) throws IOException {
    Path temp = tempBeside(target);
    try {
      writeSynced(temp, bytes);
      Files.createLink(target, temp);
      syncDirectory(target.getParent());
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      return createDirectly(target, bytes);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** For file systems without hard links: exclusive, though not atomic with its content. */
  private static boolean createDirectly(Path target, byte[] bytes) throws IOException {
    try {
      Files.write(target, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  static void writeSynced(Path path, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** Makes a rename or link in dir durable. Some platforms cannot open a directory; skip there. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  static Path tempBeside(Path target) {
    return target.resolveSibling(Layout.TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
  }

  /** Deletes a directory tree; a tree that is already gone is fine. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        try {
          Files.delete(path);
        } catch (NoSuchFileException e) {
          // removed concurrently: the goal is reached
        }
      }
    }
  }
}
