package io.imgtool.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A command run in a terminal, as a person runs it: a tmux pane of a given size, on a tmux
 * server of the test's own, whose screen is read back as the person would see it.
 */
public final class TmuxPane implements AutoCloseable {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private final Path socket;
  private final Path exitFile;

  private TmuxPane(Path socket, Path exitFile) {
    this.socket = socket;
    this.exitFile = exitFile;
  }

  /**
   * Runs {@code shellCommand} (with stdin, stdout and stderr on the pane, unless it redirects
   * them) in a new pane of {@code columns} x {@code rows}, in directory {@code dir}.
   */
  public static TmuxPane run(Path dir, int columns, int rows, String shellCommand)
      throws IOException, InterruptedException {
    Judges.require("tmux");
    Path socket = dir.resolve("tmux.sock");
    Path exitFile = dir.resolve("tmux.exit");
    Files.deleteIfExists(exitFile);
    String wrapped = "cd '" + dir + "'; " + shellCommand + "; echo $? > '" + exitFile + "'; sleep 600";
    Tools.run(Judges.command("tmux"), "-S", socket.toString(), "-f", "/dev/null", "new-session", "-d",
        "-x", Integer.toString(columns), "-y", Integer.toString(rows), wrapped).orFail();
    return new TmuxPane(socket, exitFile);
  }

  /** The screen, one string per row, trailing blanks removed. */
  public List<String> screen() throws IOException, InterruptedException {
    String text = Tools.run(Judges.command("tmux"), "-S", socket.toString(), "capture-pane", "-p").orFail().out();
    return text.stripTrailing().lines().map(String::stripTrailing).toList();
  }

  /** Waits until the screen shows what {@code wanted} accepts; fails after a generous deadline. */
  public List<String> await(Predicate<List<String>> wanted, String what) throws Exception {
    Instant end = Instant.now().plus(DEADLINE);
    while (Instant.now().isBefore(end)) {
      List<String> screen = screen();
      if (wanted.test(screen)) {
        return screen;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the terminal never showed " + what + ":\n" + String.join("\n", screen()));
  }

  /** Types {@code text} and Enter, as the person at the terminal would. */
  public void type(String text) throws IOException, InterruptedException {
    Tools.run(Judges.command("tmux"), "-S", socket.toString(), "send-keys", "-l", text).orFail();
    Tools.run(Judges.command("tmux"), "-S", socket.toString(), "send-keys", "Enter").orFail();
  }

  /** The command's exit status, once it has ended; fails after a generous deadline. */
  public int awaitExit() throws Exception {
    Instant end = Instant.now().plus(DEADLINE);
    while (Instant.now().isBefore(end)) {
      if (Files.exists(exitFile) && !Files.readString(exitFile).isBlank()) {
        return Integer.parseInt(Files.readString(exitFile).strip());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the command did not end:\n" + String.join("\n", screen()));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Tools.run(Judges.command("tmux"), "-S", socket.toString(), "kill-server");
  }
}
