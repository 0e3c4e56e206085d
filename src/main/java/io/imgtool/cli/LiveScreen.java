package io.imgtool.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's live display: one line per key, redrawn in place with ANSI cursor movement (up, erase
 * line), below the lines that are final, which stay on the terminal as they were last drawn.
 * Lines are cut to the terminal's width, since a wrapped line would throw the cursor arithmetic
 * off. Text-only changes are drawn at most every {@link #FRAME_NANOS}, new and final lines at once.
 */
final class LiveScreen implements Screen {
  static final long FRAME_NANOS = 100_000_000L;
  private static final String UP = "\033[%dA";
  private static final String ERASE_LINE = "\033[2K";

  private static final class Line {
    final String key;
    String text;
    boolean last;

    Line(String key, String text, boolean last) {
      this.key = key;
      this.text = text;
      this.last = last;
    }
  }

  private final PrintWriter err;
  private final Terminal terminal;
  private final List<Line> lines = new ArrayList<>();
  /** The first line still drawn below the cursor's reach: lines before it are final and left alone. */
  private int drawnFrom;
  /** How many lines, from drawnFrom, the last frame drew. */
  private int drawnCount;
  private long lastFrame;
  /** A change not drawn yet, because the last frame was too recent. */
  private boolean pending;
  /** After {@link #stop}: nothing more is drawn, so lines printed below stay where they are. */
  private boolean stopped;
  /** Draws a pending change when no event comes to draw it (a stalled transfer); ends when idle. */
  private Thread ticker;

  LiveScreen(PrintWriter err, Terminal terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public synchronized void print(String line) {
    lines.add(new Line(null, line, true));
    draw();
  }

  @Override
  public synchronized void update(String key, String text, boolean last) {
    Line line = find(key);
    if (line == null) {
      lines.add(new Line(key, text, last));
      draw();
      return;
    }
    if (line.last || (line.text.equals(text) && !last)) {
      return;
    }
    line.text = text;
    line.last = last;
    if (last || System.nanoTime() - lastFrame >= FRAME_NANOS) {
      draw();
    } else {
      pending = true;
      if (ticker == null) {
        ticker = new Thread(this::tick, "imgtool-progress");
        ticker.setDaemon(true);
        ticker.start();
      }
    }
  }

  @Override
  public boolean isLive() {
    return true;
  }

  /** Draws what is pending, then nothing more: an error is about to be printed below. */
  synchronized void stop() {
    if (pending) {
      draw();
    }
    stopped = true;
  }

  private void tick() {
    while (true) {
      try {
        Thread.sleep(FRAME_NANOS / 1_000_000);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (!pending) {
          ticker = null;
          return;
        }
        draw();
      }
    }
  }

  private Line find(String key) {
    for (int i = lines.size() - 1; i >= drawnFrom; i--) {
      if (key.equals(lines.get(i).key)) {
        return lines.get(i);
      }
    }
    return null;
  }

  private void draw() {
    if (stopped) {
      return;
    }
    int width = terminal.width();
    StringBuilder frame = new StringBuilder();
    if (drawnCount > 0) {
      frame.append(String.format(UP, drawnCount)).append('\r');
    }
    for (int i = drawnFrom; i < lines.size(); i++) {
      frame.append(ERASE_LINE).append(fit(lines.get(i).text, width)).append('\n');
    }
    int firstOpen = drawnFrom;
    while (firstOpen < lines.size() && lines.get(firstOpen).last) {
      firstOpen++;
    }
    drawnCount = lines.size() - firstOpen;
    drawnFrom = firstOpen;
    // The cursor cannot go above the screen's top: lines beyond its height are left as drawn.
    int reach = Math.max(1, terminal.height() - 1);
    if (drawnCount > reach) {
      drawnFrom += drawnCount - reach;
      drawnCount = reach;
    }
    lastFrame = System.nanoTime();
    pending = false;
    err.print(frame);
    err.flush();
  }

  /** At most width - 1 columns, so the terminal never wraps the line. */
  static String fit(String text, int width) {
    int max = Math.max(1, width - 1);
    if (text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max));
  }
}
