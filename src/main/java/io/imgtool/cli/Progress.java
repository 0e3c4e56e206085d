package io.imgtool.cli;

import io.imgtool.image.Compression;
import io.imgtool.image.Digest;
import io.imgtool.images.ImageEvents;
import io.imgtool.name.ImageReference;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * What the operations report, on stderr: status lines, Docker's headers of a push or pull
 * ("The push refers to repository [...]", "1.2: Pulling from repo", "Digest:", "Status:"), and
 * the progress of a layer being built. Live on a terminal, a line every few seconds in a log,
 * silent with --quiet; warnings are shown even then.
 */
final class Progress implements ImageEvents {
  private static final long PLAIN_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();
  private static final long LIVE_INTERVAL_NANOS = LiveScreen.FRAME_NANOS;

  private final Screen screen;
  private final PrintWriter err;
  private final TransferProgress transfers;
  private final Set<String> announced = new HashSet<>();

  Progress(Screen screen, PrintWriter err, TransferProgress transfers) {
    this.screen = screen;
    this.err = err;
    this.transfers = transfers;
  }

  /** A status line (e.g. "Untagged: x" goes to stdout, but "Building layer ..." comes here). */
  @Override
  public void info(String message) {
    screen.print(message);
  }

  @Override
  public void warning(String message) {
    if (screen == Screen.SILENT) {
      synchronized (err) {
        err.println("WARNING: " + message);
        err.flush();
      }
    } else {
      screen.print("WARNING: " + message);
    }
  }

  /** Once per repository, as docker push -a prints it once for all tags. */
  @Override
  public void pushing(ImageReference target) {
    transfers.direction(TransferProgress.Direction.PUSH);
    if (announced.add(target.name())) {
      screen.print("The push refers to repository [" + target.name() + "]");
    }
  }

  @Override
  public void pulling(ImageReference reference) {
    transfers.direction(TransferProgress.Direction.PULL);
    String tag = reference.tag() != null ? reference.tag() : reference.digest();
    screen.print(tag + ": Pulling from " + reference.repository());
  }

  @Override
  public void pulled(ImageReference reference, Digest digest, boolean changed) {
    screen.print("Digest: " + digest);
    screen.print("Status: " + (changed ? "Downloaded newer image for " : "Image is up to date for ")
        + reference.familiar());
  }

  @Override
  public void untagged(ImageReference name, Digest formerId) {
    screen.print(name.familiar() + " was the name of image " + formerId.shortHex()
        + ", which is untagged now (<none>; imgtool prune removes it)");
  }

  /** Wraps a stream being consumed so that its progress is shown under {@code label}. */
  @Override
  public InputStream reading(String label, long total, InputStream in) {
    if (screen == Screen.SILENT) {
      return in;
    }
    return new Tracked(label, total, in);
  }

  @Override
  public void layerBuilt(String label, long size, Compression compression, Digest digest) {
    screen.update(label, label + ": " + Human.size(size) + " " + compression.label() + ", "
        + digest.toString().substring(0, 19), true);
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
      long interval = screen.isLive() ? LIVE_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS;
      if (now - lastShown >= interval) {
        lastShown = now;
        show(now);
      }
    }

    private void show(long now) {
      double seconds = Math.max((now - started) / 1e9, 1e-3);
      String amount = total > 0 ? Human.size(bytes) + " / " + Human.size(total) : Human.size(bytes);
      String line = label + ": " + amount + " (" + Human.size((long) (bytes / seconds)) + "/s)";
      if (screen.isLive()) {
        screen.update(label, line, false);
      } else {
        screen.print(line);
      }
    }
  }
}
