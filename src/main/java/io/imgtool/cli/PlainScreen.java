package io.imgtool.cli;

import java.io.PrintWriter;

/**
 * Progress for logs (CI, a file, a pipe): whole lines, no control codes; a keyed line is written
 * when it is final, so a layer takes one line however long it transfers.
 */
final class PlainScreen implements Screen {
  private final PrintWriter err;

  PlainScreen(PrintWriter err) {
    this.err = err;
  }

  @Override
  public synchronized void print(String line) {
    err.println(line);
    err.flush();
  }

  @Override
  public synchronized void update(String key, String line, boolean last) {
    if (last) {
      print(line);
    }
  }

  @Override
  public boolean isLive() {
    return false;
  }
}
