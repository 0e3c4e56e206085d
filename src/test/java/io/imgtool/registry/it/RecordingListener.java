package io.imgtool.registry.it;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.TransferListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records engine events as "kind digest" lines. */
public final class RecordingListener implements TransferListener {
  public final List<String> events = new CopyOnWriteArrayList<>();

  public long count(String kind) {
    return events.stream().filter(e -> e.startsWith(kind + " ")).count();
  }

  @Override
  public void blobExists(Descriptor blob) {
    events.add("exists " + blob.digest());
  }

  @Override
  public void blobMounted(Descriptor blob, String fromRepository) {
    events.add("mounted " + blob.digest() + " " + fromRepository);
  }

  @Override
  public void blobPushed(Descriptor blob) {
    events.add("pushed " + blob.digest());
  }

  @Override
  public void blobPulled(Descriptor blob) {
    events.add("pulled " + blob.digest());
  }

  @Override
  public void retrying(String step, int attempt, Duration delay, String reason) {
    events.add("retrying " + step + ": " + reason);
  }

  @Override
  public void manifestPushed(String reference, Digest digest) {
    events.add("manifest " + reference + " " + digest);
  }
}
