package io.imgtool.images;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.MediaType;
import io.imgtool.name.ImageReference;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An image in the store as a user thinks of it: in its own format, as the manifest bytes a
 * registry knows it by (the store itself keeps an OCI manifest beside them for skopeo and umoci),
 * with layers read from the store or, for the layers of a lazy registry base, from the repository
 * that holds them.
 *
 * @param entry the store's index entry (its OCI manifest descriptor and imgtool's annotations)
 * @param name the name this image was found by, when it was found by a name
 * @param image the image in its own format; its blobs come from the store, then from
 *     {@link #layersFrom()}
 * @param missingLayers the layers whose bytes are not in the store
 * @param created the config's creation time, when valid
 * @param size config plus layer blobs as stored (compressed); every platform's, for a multi-platform image
 * @param platforms a multi-platform image's platforms ({@code image} is the one chosen); else empty
 */
public record LocalImage(Descriptor entry, Optional<ImageReference> name, Image image,
    List<Digest> missingLayers, Optional<Instant> created, long size, List<String> platforms) {

  public LocalImage {
    missingLayers = List.copyOf(missingLayers);
    platforms = List.copyOf(platforms);
  }

  /** Whether the entry is a multi-platform image's index, kept whole. */
  public boolean isMultiPlatform() {
    return MediaType.isIndex(entry.mediaType());
  }

  /**
   * The image ID, as Docker shows it: the config digest; for a multi-platform image, the
   * index's digest, as Docker's containerd store shows it.
   */
  public Digest id() {
    return isMultiPlatform() ? digest() : image.id();
  }

  public Format format() {
    return image.manifest().format();
  }

  /**
   * The digest of the image's own manifest, the one a registry holds it under; for a
   * multi-platform image, its index's own (a Docker manifest list as the registry served it).
   */
  public Digest digest() {
    if (isMultiPlatform()) {
      return Annotations.digest(entry, Annotations.MANIFEST).orElse(entry.digest());
    }
    return image.manifest().digest();
  }

  /** The digest of the index the image was pulled from, which is what Docker prints for it. */
  public Optional<Digest> indexDigest() {
    return isMultiPlatform() ? Optional.of(digest()) : Annotations.digest(entry, Annotations.INDEX);
  }

  /** The registry repository that holds the layers the store does not. */
  public Optional<ImageReference> layersFrom() {
    return Optional.ofNullable(entry.annotation(Annotations.SOURCE)).map(ImageReference::parse);
  }

  /** True when some layer's bytes are only in {@link #layersFrom()}: {@code pull NAME} fetches them. */
  public boolean lazy() {
    return !missingLayers.isEmpty();
  }

  /**
   * Docker's dangling image ({@code <none> <none>} in {@code images}): it has no name, and no
   * registry is known to hold it. {@code prune} removes these.
   */
  public boolean dangling() {
    return name.isEmpty() && repoDigests().isEmpty();
  }

  /** Where registries hold the image, as recorded on this entry ({@code host/repo@sha256:…}). */
  public List<String> repoDigests() {
    return Annotations.repoDigests(entry);
  }
}
