package io.imgtool.image;

import java.time.Duration;

/**
 * What moving an image's blobs reports, per blob, for the CLI to render: push and pull now,
 * any other copy of blobs later. Methods are called from worker threads, concurrently for
 * different blobs.
 */
public interface TransferListener {
  TransferListener NONE = new TransferListener() { };

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

  /** The manifest is in the registry under {@code reference}: its digest and size in bytes. */
  default void manifestPushed(String reference, Digest digest, long size) {
    manifestPushed(reference, digest);
  }
}
