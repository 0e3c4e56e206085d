package io.imgtool.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether stderr, where progress goes, is a terminal, and that terminal's size; whether stdin or
 * stdout, where archives go, is one. Progress is live whenever stderr is a terminal, also when
 * stdout is captured ({@code ID=$(imgtool push …)}), which {@code System.console()} cannot tell
 * (it wants stdin and stdout to be terminals).
 */
final class Terminal {
  static final int DEFAULT_WIDTH = 80;
  static final int DEFAULT_HEIGHT = 24;

  /** A process whose stderr is not a terminal, e.g. commands run in-process by tests. */
  static final Terminal NONE = new Terminal(false, Map.of());

  private final boolean stderr;
  private final Map<String, String> environment;
  private int[] size;

  private Terminal(boolean stderr, Map<String, String> environment) {
    this.stderr = stderr;
    this.environment = environment;
  }

  /** This process's: on Linux, file descriptor 2 is a terminal when it links to a tty device. */
  static Terminal ofProcess(Map<String, String> environment) {
    return new Terminal(isTerminal(2), environment);
  }

  /** Whether this process's file descriptor {@code fd} is a terminal, which an archive must never be written to. */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null; // not Linux: the best Java 17 can tell
    }
  }

  boolean isStderr() {
    return stderr;
  }

  /** Columns, asked of the terminal once ({@code stty size}), else $COLUMNS, else 80. */
  int width() {
    return size()[1];
  }

  /** Rows, as {@link #width()}. */
  int height() {
    return size()[0];
  }

  private synchronized int[] size() {
    if (size == null) {
      size = new int[] {number("LINES", DEFAULT_HEIGHT), number("COLUMNS", DEFAULT_WIDTH)};
      if (stderr) {
        askTerminal();
      }
    }
    return size;
  }

  /** {@code stty size} on the controlling terminal: "ROWS COLUMNS". Any failure keeps the defaults. */
  private void askTerminal() {
    File tty = new File("/dev/tty");
    if (!tty.canRead()) {
      return;
    }
    try {
      Process stty = new ProcessBuilder("stty", "size").redirectInput(tty)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
        String[] parts = answer.split("\\s+");
        int rows = Integer.parseInt(parts[0]);
        int columns = Integer.parseInt(parts[1]);
        if (rows > 0 && columns > 0) {
          size = new int[] {rows, columns};
        }
      }
    } catch (IOException | RuntimeException e) {
      // no stty, or not a terminal after all: the defaults
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int number(String variable, int fallback) {
    try {
      String value = environment.get(variable);
      return value == null ? fallback : Math.max(1, Integer.parseInt(value.strip()));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
