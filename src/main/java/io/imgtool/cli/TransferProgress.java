package io.imgtool.cli;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.TransferListener;
import io.imgtool.image.TransferListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Push and pull progress on stderr, a line per blob event as {@code docker push} prints them
 * ("Layer already exists", "Mounted from", "Pushed"), and for long transfers a line with bytes
 * and rate every few seconds. Called from the engines' worker threads.
 */
final class TransferProgress implements TransferListener {
  private static final long INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

  private final PrintWriter err;
  private final boolean enabled;
  private final Map<Digest, Long> started = new ConcurrentHashMap<>();
  private final Map<Digest, Long> lastShown = new ConcurrentHashMap<>();

  TransferProgress(PrintWriter err, ProgressMode mode) {
    this.err = err;
    this.enabled = mode != ProgressMode.NONE;
  }

  @Override
  public void blobStarted(Descriptor blob) {
    long now = System.nanoTime();
    started.put(blob.digest(), now);
    lastShown.put(blob.digest(), now);
  }

  @Override
  public void blobExists(Descriptor blob) {
    line(blob, "Already exists");
  }

  @Override
  public void blobMounted(Descriptor blob, String fromRepository) {
    line(blob, "Mounted from " + fromRepository);
  }

  @Override
  public void blobProgress(Descriptor blob, long bytes) {
    long now = System.nanoTime();
    Long last = lastShown.get(blob.digest());
    if (last != null && now - last >= INTERVAL_NANOS) {
      lastShown.put(blob.digest(), now);
      line(blob, Human.size(bytes) + " / " + Human.size(blob.size()) + rate(blob, bytes, now));
    }
  }

  @Override
  public void blobPushed(Descriptor blob) {
    line(blob, "Pushed " + Human.size(blob.size()) + rate(blob, blob.size(), System.nanoTime()));
  }

  @Override
  public void blobPulled(Descriptor blob) {
    line(blob, "Pull complete " + Human.size(blob.size()) + rate(blob, blob.size(), System.nanoTime()));
  }

  @Override
  public void retrying(String step, int attempt, Duration delay, String reason) {
    message(step + " failed (" + reason + "); retrying in " + delay.toMillis() / 1000.0 + "s (attempt "
        + attempt + ")");
  }

  @Override
  public void manifestPushed(String reference, Digest digest) {
    message(reference + ": digest: " + digest);
  }

  private String rate(Descriptor blob, long bytes, long now) {
    Long start = started.get(blob.digest());
    if (start == null || bytes == 0) {
      return "";
    }
    double seconds = Math.max((now - start) / 1e9, 1e-3);
    return " in " + String.format("%.1fs", seconds) + " (" + Human.size((long) (bytes / seconds)) + "/s)";
  }

  private void line(Descriptor blob, String what) {
    message(blob.digest().shortHex() + ": " + what);
  }

  private void message(String text) {
    if (enabled) {
      synchronized (err) {
        err.println(text);
        err.flush();
      }
    }
  }
}
