package io.imgtool.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream is a terminal, which an archive must never be written to. */
final class Terminal {
  private Terminal() {}

  /** Linux names a process's descriptors in /proc; a terminal is a /dev/pts/N or /dev/ttyN. */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
