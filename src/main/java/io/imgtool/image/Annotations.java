package io.imgtool.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The annotation keys imgtool writes on store index entries, in one place. The store keeps every
 * image as an OCI manifest so that skopeo and umoci read it; these say what the image is besides.
 */
public final class Annotations {
  /** The image's name, as the OCI image layout defines it (the full normalised name). */
  public static final String REF_NAME = Descriptor.REF_NAME;

  /**
   * The registry repository ({@code host/repo}) that holds the image's base layers. An image
   * committed on a registry base keeps only its manifest, config and new layers locally; the base
   * layers are fetched from here when their bytes are needed, or mounted from here on push.
   */
  public static final String SOURCE = "io.imgtool.source";

  /**
   * {@code docker} when the image's own format is Docker v2 schema 2. The store holds every image
   * as an OCI manifest (so that skopeo and umoci can read it); push writes the Docker form.
   */
  public static final String FORMAT = "io.imgtool.format";

  /**
   * The digest of the image's own manifest, a blob in the store, when it is not the OCI manifest
   * of the entry: a Docker v2s2 manifest as the registry served it, or as imgtool wrote it. Push,
   * save and {@code images --digests} use these exact bytes, so a digest never changes.
   */
  public static final String MANIFEST = "io.imgtool.manifest";

  /** The digest of the index (a blob in the store) the image was pulled from. */
  public static final String INDEX = "io.imgtool.index";

  /**
   * Where registries hold this image, as Docker's RepoDigests: {@code host/repo@sha256:…},
   * separated by spaces. Recorded by pull and push.
   */
  public static final String REPO_DIGESTS = "io.imgtool.repo-digests";

  private Annotations() {}

  /** The blobs an index entry refers to by annotation, which the store must keep with it. */
  public static List<Digest> referencedBlobs(Descriptor entry) {
    List<Digest> blobs = new ArrayList<>();
    digest(entry, MANIFEST).ifPresent(blobs::add);
    digest(entry, INDEX).ifPresent(blobs::add);
    return blobs;
  }

  /** A digest-valued annotation, when it is present and well formed. */
  public static Optional<Digest> digest(Descriptor entry, String key) {
    String value = entry.annotation(key);
    return value != null && Digest.isValid(value) ? Optional.of(Digest.parse(value)) : Optional.empty();
  }

  /** The entry's repo digests, in the order they were recorded. */
  public static List<String> repoDigests(Descriptor entry) {
    String value = entry.annotation(REPO_DIGESTS);
    return value == null || value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
  }

  /** The entry with {@code repoDigest} recorded; one digest per repository, the newest kept. */
  public static Descriptor withRepoDigest(Descriptor entry, String repoDigest) {
    String repository = repoDigest.substring(0, repoDigest.indexOf('@'));
    List<String> digests = new ArrayList<>();
    for (String existing : repoDigests(entry)) {
      if (!existing.startsWith(repository + "@")) {
        digests.add(existing);
      }
    }
    digests.add(repoDigest);
    return entry.withAnnotation(REPO_DIGESTS, String.join(" ", digests));
  }
}
