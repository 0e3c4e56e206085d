package io.imgtool.cli;

import io.imgtool.image.Compression;
import io.imgtool.image.Digest;
import io.imgtool.images.ImageEvents;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Progress on stderr. On a terminal one line is redrawn in place; otherwise a summary line is
 * printed at most every few seconds, so CI logs stay short. Silent with --quiet.
 */
final class Progress implements ImageEvents {
  private static final long PLAIN_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();
  private static final long TTY_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

  private final PrintWriter err;
  private final ProgressMode mode;

  Progress(PrintWriter err, ProgressMode mode) {
    this.err = err;
    this.mode = mode;
  }

  /** A status line (e.g. "Untagged: x" goes to stdout, but "Building layer ..." comes here). */
  @Override
  public void info(String message) {
    if (mode != ProgressMode.NONE) {
      err.println(message);
      err.flush();
    }
  }

  /** Wraps a stream being consumed so that its progress is shown under {@code label}. */
  @Override
  public InputStream reading(String label, long total, InputStream in) {
    if (mode == ProgressMode.NONE) {
      return in;
    }
    return new Tracked(label, total, in);
  }

  @Override
  public void layerBuilt(String label, long size, Compression compression, Digest digest) {
    done(label, Human.size(size) + " " + compression.label() + ", " + digest.toString().substring(0, 19));
  }

  /** Ends a tracked task with its outcome on one line. */
  void done(String label, String outcome) {
    if (mode == ProgressMode.TTY) {
      err.print("\r\033[K");
    }
    info(label + ": " + outcome);
  }

  private final class Tracked extends FilterInputStream {
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private long bytes;
    private long lastShown = started;

    Tracked(String label, long total, InputStream in) {
      super(in);
      this.label = label;
      this.total = total;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        advance(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        advance(n);
      }
      return n;
    }

    private void advance(long n) {
      bytes += n;
      long now = System.nanoTime();
      long interval = mode == ProgressMode.TTY ? TTY_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS;
      if (now - lastShown >= interval) {
        lastShown = now;
        show(now);
      }
    }

    private void show(long now) {
      double seconds = Math.max((now - started) / 1e9, 1e-3);
      String amount = total > 0 ? Human.size(bytes) + " / " + Human.size(total) : Human.size(bytes);
      String line = label + ": " + amount + " (" + Human.size((long) (bytes / seconds)) + "/s)";
      if (mode == ProgressMode.TTY) {
        err.print("\r\033[K" + line);
      } else {
        err.println(line);
      }
      err.flush();
    }
  }
}
