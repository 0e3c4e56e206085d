package io.imgtool.images;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Index;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.PullResult;
import io.imgtool.registry.Puller;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.store.Staging;
import io.imgtool.store.StoredImage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code docker pull} into the store, every digest verified, the registry's manifest and index
 * kept as their exact bytes. On the name of a lazy local image (committed on a registry base),
 * it fetches the base layers the store lacks instead, after which the store holds the whole image.
 */
public final class ImagePull {
  private ImagePull() {}

  public static Pulled run(Workspace workspace, String name, Platform platform, int jobs) throws IOException {
    Optional<LocalImage> lazy = lazyLocalImage(workspace, name);
    if (lazy.isPresent()) {
      return complete(workspace, lazy.get(), jobs);
    }
    ImageReference reference = ImageReference.parse(name);
    Puller puller = new Puller(workspace.registries(), jobs, RetryPolicy.defaults(), workspace.transfers());
    workspace.events().pulling(reference);
    Optional<Digest> before = stored(workspace, reference);
    try (Staging staging = workspace.store().stage()) {
      PullResult result = puller.pull(reference, platform, new StorePullTarget(staging));
      Index index = result.index() == null ? null : Index.parse(result.index().bytes());
      ImageReference repository = ImageReference.parse(reference.name());
      String repoDigest = reference.name() + "@" + result.distributionDigest();
      // A name with a digest only is stored untagged, as docker pull repo@sha256:... does.
      ImageReference tagName = reference.tag() == null ? null : reference.withTag(reference.tag());
      Descriptor entry = NewImages.store(staging, new NewImage(result.manifest(), result.config(), index, repository,
          repoDigest), tagName, workspace);
      workspace.events().pulled(reference, result.distributionDigest(),
          before.filter(entry.digest()::equals).isEmpty());
      return new Pulled(reference, result.distributionDigest(), false);
    }
  }

  /**
   * The store's manifest for the name before the pull: what its tag names, or, for a name by
   * digest, the image that digest is known by. Empty when there is none.
   */
  private static Optional<Digest> stored(Workspace workspace, ImageReference reference) throws IOException {
    if (reference.tag() != null) {
      return workspace.store().named(reference).map(image -> image.manifest().digest());
    }
    return new LocalImages(workspace).find(reference.toString()).map(image -> image.entry().digest());
  }

  /** The image the user names, when it is in the store by that name (or ID) and lazy. */
  private static Optional<LocalImage> lazyLocalImage(Workspace workspace, String name) throws IOException {
    LocalImages images = new LocalImages(workspace);
    if (!ImageReference.isValid(name)) {
      return Optional.of(images.resolve(name)).filter(LocalImage::lazy); // an image ID
    }
    ImageReference reference = ImageReference.parse(name);
    if (reference.digest() != null) {
      return Optional.empty();
    }
    Optional<StoredImage> stored = workspace.store().named(reference);
    return stored.isEmpty() ? Optional.empty() : Optional.of(images.open(stored.get())).filter(LocalImage::lazy);
  }

  /** Fetches the layers only the source repository has, so that the store holds the whole image. */
  private static Pulled complete(Workspace workspace, LocalImage image, int jobs) throws IOException {
    ImageReference source = image.layersFrom().orElseThrow();
    workspace.events().info("Fetching the layers of " + image.name().map(ImageReference::familiar)
        .orElse(image.id().shortHex()) + " that are only in " + source.name());
    List<Descriptor> missing = image.image().layers().stream()
        .filter(layer -> image.missingLayers().contains(layer.digest())).toList();
    Puller puller = new Puller(workspace.registries(), jobs, RetryPolicy.defaults(), workspace.transfers());
    try (Staging staging = workspace.store().stage()) {
      puller.pullBlobs(source, missing, new StorePullTarget(staging));
      staging.commit(editor -> editor.complete(image.entry().digest()));
    }
    ImageReference reference = image.name().orElse(source);
    return new Pulled(reference, image.indexDigest().orElse(image.digest()), true);
  }
}
