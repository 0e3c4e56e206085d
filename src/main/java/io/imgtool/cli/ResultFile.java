package io.imgtool.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** --iidfile and --digestfile: a failure names the file ("No space left on device" alone does not). */
final class ResultFile {
  private ResultFile() {}

  static void write(Path file, String content) throws IOException {
    try {
      Files.writeString(file, content);
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      throw (IOException) new FileSystemException(file.toString(), null, e.getMessage()).initCause(e);
    }
  }
}
