package io.imgtool.registry;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import java.time.Duration;

/**
 * What the push and pull engines report, per blob, for the CLI to render. Methods are called
 * from worker threads, concurrently for different blobs.
 */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() { };

  /** Work on a blob begins (existence check, mount or transfer). */
  default void blobStarted(Descriptor blob) {}

  /** The registry (push) or the local store (pull) already has the blob. */
  default void blobExists(Descriptor blob) {}

  /** The registry mounted the blob from another repository; no bytes moved. */
  default void blobMounted(Descriptor blob, String fromRepository) {}

  /** Bytes moved so far for this blob in the current attempt (restarts at 0 on a retry). */
  default void blobProgress(Descriptor blob, long bytes) {}

  default void blobPushed(Descriptor blob) {}

  default void blobPulled(Descriptor blob) {}

  /** A step failed transiently and will run again after the delay; reason holds no secrets. */
  default void retrying(String step, int attempt, Duration delay, String reason) {}

  default void manifestPushed(String reference, Digest digest) {}
}
