package io.imgtool.cli;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.MediaType;
import io.imgtool.image.TransferListener;
import io.imgtool.name.ImageReference;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Push and pull progress on stderr, one line per layer in Docker's words: "Preparing",
 * "Pushing [==>   ] 41.9MB/158MB", "Layer already exists", "Mounted from ns/base", "Pushed";
 * "Pulling fs layer", "Downloading …", "Already exists", "Pull complete"; config blobs are not
 * shown, as in Docker. On a terminal the lines are redrawn in place; in a log each layer gets one
 * final line with its size and rate, and a summary of the transfers in flight every few seconds.
 * Called from the engines' worker threads.
 */
final class TransferProgress implements TransferListener {
  private static final long SUMMARY_NANOS = Duration.ofSeconds(5).toNanos();
  /** "a1b2c3d4e5f6: " */
  private static final int KEY_WIDTH = 14;

  /** Which way blobs move: the words differ. */
  enum Direction { PUSH, PULL }

  private record Transfer(long started, long bytes) {}

  private final Screen screen;
  private final Terminal terminal;
  private final Map<Digest, Transfer> transfers = new ConcurrentHashMap<>();
  private volatile Direction direction = Direction.PUSH;
  private volatile long lastSummary = System.nanoTime();

  TransferProgress(Screen screen, Terminal terminal) {
    this.screen = screen;
    this.terminal = terminal;
  }

  void direction(Direction direction) {
    this.direction = direction;
  }

  @Override
  public void blobStarted(Descriptor blob) {
    transfers.put(blob.digest(), new Transfer(System.nanoTime(), 0));
    if (shown(blob)) {
      screen.update(key(blob), line(blob, direction == Direction.PUSH ? "Preparing" : "Pulling fs layer"), false);
    }
  }

  @Override
  public void blobExists(Descriptor blob) {
    transfers.remove(blob.digest());
    if (shown(blob)) {
      screen.update(key(blob), line(blob, direction == Direction.PUSH ? "Layer already exists" : "Already exists"),
          true);
    }
  }

  @Override
  public void blobMounted(Descriptor blob, String fromRepository) {
    transfers.remove(blob.digest());
    if (shown(blob)) {
      screen.update(key(blob), line(blob, "Mounted from " + fromRepository), true);
    }
  }

  @Override
  public void blobProgress(Descriptor blob, long bytes) {
    Transfer transfer = transfers.merge(blob.digest(), new Transfer(System.nanoTime(), bytes),
        (old, now) -> new Transfer(old.started(), bytes));
    if (!shown(blob)) {
      return;
    }
    long now = System.nanoTime();
    if (screen.isLive()) {
      String status = direction == Direction.PUSH ? "Pushing" : "Downloading";
      int room = terminal.width() - 1 - KEY_WIDTH - status.length() - 1;
      String bar = TransferBar.of(bytes, blob.size(), room, Duration.ofNanos(now - transfer.started()));
      screen.update(key(blob), line(blob, status + " " + bar), false);
    } else if (now - lastSummary >= SUMMARY_NANOS) {
      lastSummary = now;
      summary();
    }
  }

  @Override
  public void blobPushed(Descriptor blob) {
    finished(blob, "Pushed");
  }

  @Override
  public void blobPulled(Descriptor blob) {
    finished(blob, "Pull complete");
  }

  private void finished(Descriptor blob, String status) {
    Transfer transfer = transfers.remove(blob.digest());
    if (shown(blob)) {
      screen.update(key(blob), line(blob, status + (screen.isLive() ? "" : details(blob, transfer))), true);
    }
  }

  @Override
  public void retrying(String step, int attempt, Duration delay, String reason) {
    screen.print(step + " failed (" + reason + "); retrying in " + delay.toMillis() / 1000.0 + "s (attempt "
        + attempt + ")");
  }

  /** Docker's last line of a push: {@code 1.2: digest: sha256:… size: 1234}. */
  @Override
  public void manifestPushed(String reference, Digest digest, long size) {
    ImageReference pushed = ImageReference.parse(reference);
    if (pushed.tag() == null) {
      return; // a multi-platform image's platforms go by digest; the line is for its index, under the tag
    }
    screen.print(pushed.tag() + ": digest: " + digest + " size: " + size);
  }

  /** "Pushing 2 layers: 41.9MB/158MB (12.3MB/s)", for logs, every few seconds. */
  private void summary() {
    long bytes = 0;
    long started = Long.MAX_VALUE;
    int count = 0;
    for (Transfer transfer : transfers.values()) {
      bytes += transfer.bytes();
      started = Math.min(started, transfer.started());
      count++;
    }
    if (count == 0) {
      return;
    }
    double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
    screen.print((direction == Direction.PUSH ? "Pushing " : "Pulling ") + count + (count == 1 ? " layer: " : " layers: ")
        + Human.size(bytes) + " so far (" + Human.size((long) (bytes / seconds)) + "/s)");
  }

  private static String details(Descriptor blob, Transfer transfer) {
    if (transfer == null) {
      return " " + Human.size(blob.size());
    }
    double seconds = Math.max((System.nanoTime() - transfer.started()) / 1e9, 1e-3);
    return " " + Human.size(blob.size()) + " in " + String.format("%.1fs", seconds) + " ("
        + Human.size((long) (blob.size() / seconds)) + "/s)";
  }

  /** Layers are shown; the config blob is not, as in Docker. */
  private static boolean shown(Descriptor blob) {
    String type = blob.mediaType();
    return type == null || !(type.equals(MediaType.OCI_CONFIG) || type.equals(MediaType.DOCKER_CONFIG)
        || type.endsWith(".config.v1+json"));
  }

  private static String key(Descriptor blob) {
    return blob.digest().toString();
  }

  private static String line(Descriptor blob, String status) {
    return blob.digest().shortHex() + ": " + status;
  }
}
