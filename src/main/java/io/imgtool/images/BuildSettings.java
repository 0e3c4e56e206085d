package io.imgtool.images;

import io.imgtool.image.Compression;
import io.imgtool.image.Format;
import io.imgtool.mutate.CommitOptions;
import java.time.Instant;
import java.util.List;

/**
 * How import and commit make an image, besides its layers.
 *
 * @param format the manifest format, or null for the base's (OCI for import and scratch)
 * @param level the compression level, or -1 for the default
 * @param message {@code -m}, or null
 * @param author {@code -a}, or null
 * @param changes {@code -c} instructions, unparsed
 * @param created the new image's creation time
 * @param mtimeClamp the latest mtime a rootfs changeset records, or null (set with a fixed
 *     {@code --timestamp} or SOURCE_DATE_EPOCH, so that the same tree gives the same layer)
 */
public record BuildSettings(Format format, Compression compression, int level, String message, String author,
    List<String> changes, Instant created, Instant mtimeClamp) {

  public BuildSettings {
    changes = List.copyOf(changes);
  }

  CommitOptions commitOptions(Format target) {
    return CommitOptions.at(created).withMessage(message).withAuthor(author).withChanges(changes)
        .withFormat(target);
  }

  /** Refuses what Docker's format cannot hold before any work is done. */
  void checkCompatible(Format target) {
    if (target == Format.DOCKER && compression != Compression.GZIP) {
      throw new InvalidRequestException("the Docker image format holds only gzip layers, not "
          + compression.label() + "; use --format oci or --compression gzip");
    }
  }
}
