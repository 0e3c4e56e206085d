package io.imgtool.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * --iidfile and --digestfile. Prepared before the command changes anything, so that a file that
 * cannot be written fails the command while the store is still as it was: a new or regular file
 * is written to a temp file beside it, which {@link #write} fills and renames into place; a
 * device or pipe (/dev/stdout) is checked for writing and written directly. A failure names the
 * file ("No space left on device" alone does not).
 */
final class ResultFile implements AutoCloseable {
  private final Path target;
  private final Path temp;

  private ResultFile(Path target, Path temp) {
    this.target = target;
    this.temp = temp;
  }

  /** Null when no file was asked for; {@link #write} and {@link #close} accept that. */
  static ResultFile prepare(Path file) throws IOException {
    if (file == null) {
      return null;
    }
    if (Files.isSymbolicLink(file) && Files.exists(file)) {
      file = file.toRealPath(); // written through the link, as Docker does, not replacing it
    }
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "Is a directory");
    }
    boolean exists = Files.exists(file);
    if (exists && !Files.isRegularFile(file)) {
      return direct(file);
    }
    Path parent = file.toAbsolutePath().getParent();
    Path temp = parent.resolve("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createFile(temp);
    } catch (AccessDeniedException e) {
      if (exists) {
        return direct(file); // a writable file in a directory we cannot add to
      }
      throw named(file, e);
    } catch (IOException e) {
      throw named(file, e);
    }
    return new ResultFile(file, temp);
  }

  private static ResultFile direct(Path file) throws IOException {
    if (!Files.isWritable(file)) {
      throw new AccessDeniedException(file.toString());
    }
    return new ResultFile(file, null);
  }

  /** Writes the result; with a temp file, replaces the target in one step. */
  static void write(ResultFile file, String content) throws IOException {
    if (file != null) {
      file.write(content);
    }
  }

  private void write(String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try {
      if (temp == null) {
        Files.write(target, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return;
      }
      Files.write(temp, bytes, StandardOpenOption.WRITE);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw named(target, e);
    }
  }

  /** Removes the temp file of a command that did not get to write its result. */
  @Override
  public void close() throws IOException {
    if (temp != null) {
      Files.deleteIfExists(temp);
    }
  }

  private static IOException named(Path file, IOException e) {
    if (e instanceof FileSystemException fs && file.toString().equals(fs.getFile())) {
      return e;
    }
    String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
        : e instanceof AccessDeniedException ? "Permission denied"
        : e instanceof NoSuchFileException ? "No such file or directory" : e.getMessage();
    return (IOException) new FileSystemException(file.toString(), null, reason).initCause(e);
  }
}
