package io.imgtool.store;

import io.imgtool.image.Digest;
import java.util.List;

/**
 * What garbage collection removed.
 *
 * @param deletedBlobs blobs no index entry reached
 * @param reclaimedBytes their total size
 * @param abandonedStagings staging directories of commands that died without cleaning up
 */
public record PruneReport(List<Digest> deletedBlobs, long reclaimedBytes, int abandonedStagings) {
  public PruneReport {
    deletedBlobs = List.copyOf(deletedBlobs);
  }

  static PruneReport nothing() {
    return new PruneReport(List.of(), 0, 0);
  }
}
