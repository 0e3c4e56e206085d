package io.imgtool.store;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import java.util.List;

/**
 * What {@link LayoutStore#check} found: each image's state, blobs whose bytes do not hash to their
 * names, blobs no image uses, leftovers of interrupted commands, and what a repair removed.
 *
 * @param blobsVerified how many blobs were read and hashed
 * @param indexProblem why index.json cannot be read, or null when it can
 * @param leftovers staging directories and temp files of commands that died (paths in the store)
 * @param repairs what the repair did, one sentence each; empty without a repair
 */
public record IntegrityReport(int blobsVerified, String indexProblem, List<ImageState> images,
    List<Digest> corruptBlobs, List<Digest> orphanBlobs, List<String> leftovers, List<String> repairs) {

  /**
   * One index entry.
   *
   * @param damage what is missing or corrupt; empty for a complete image
   * @param lazyLayers layers deliberately not in the store: their source is the entry's
   *     {@code io.imgtool.source} annotation
   */
  public record ImageState(Descriptor entry, List<Finding> damage, List<Digest> lazyLayers) {
    public boolean damaged() {
      return !damage.isEmpty();
    }
  }

  /**
   * A blob an image needs that the store lacks or holds corrupt.
   *
   * @param role what the blob is to the image: manifest, config, layer, index, platform manifest
   * @param corrupt true when present but not hashing to its name; false when missing
   */
  public record Finding(String role, Digest digest, boolean corrupt) {}

  public boolean damaged() {
    return indexProblem != null || !corruptBlobs.isEmpty() || images.stream().anyMatch(ImageState::damaged);
  }
}
