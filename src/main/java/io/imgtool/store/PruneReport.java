package io.imgtool.store;

import io.imgtool.image.Digest;
import java.util.List;

/**
 * What garbage collection removed.
 *
 * @param deletedBlobs blobs no index entry reached
 * @param reclaimedBytes their total size, plus what the abandoned stagings held
 * @param abandonedStagings staging directories of commands that died without cleaning up
 * @param deletedImages the image IDs of the untagged images removed first, if any were asked for
 */
public record PruneReport(List<Digest> deletedBlobs, long reclaimedBytes, int abandonedStagings,
    List<Digest> deletedImages) {
  public PruneReport {
    deletedBlobs = List.copyOf(deletedBlobs);
    deletedImages = List.copyOf(deletedImages);
  }

  public PruneReport(List<Digest> deletedBlobs, long reclaimedBytes, int abandonedStagings) {
    this(deletedBlobs, reclaimedBytes, abandonedStagings, List.of());
  }

  static PruneReport nothing() {
    return new PruneReport(List.of(), 0, 0);
  }
}
