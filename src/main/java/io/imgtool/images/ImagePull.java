package io.imgtool.images;

import io.imgtool.archive.ArchiveFiles;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Index;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.PullResult;
import io.imgtool.registry.RemoteImage;
import io.imgtool.registry.RemoteIndex;
import io.imgtool.registry.Puller;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.store.IndexEditor;
import io.imgtool.store.Staging;
import io.imgtool.store.StoredImage;
import java.io.IOException;
import java.util.ArrayList;
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
    return run(workspace, name, platform, jobs, false);
  }

  /** @param allPlatforms keep a multi-platform image whole: every platform and its index */
  public static Pulled run(Workspace workspace, String name, Platform platform, int jobs, boolean allPlatforms)
      throws IOException {
    ImageLocation location = ImageLocation.parse(name);
    if (location.isArchive()) {
      return fromArchive(workspace, location, platform);
    }
    ImageReference reference;
    if (location instanceof ImageLocation.Registry registry) {
      reference = registry.reference();
    } else {
      Optional<LocalImage> lazy = lazyLocalImage(workspace, name);
      if (lazy.isPresent()) {
        return complete(workspace, lazy.get(), jobs);
      }
      reference = ImageReference.parse(name);
    }
    return allPlatforms ? wholeFromRegistry(workspace, reference, jobs)
        : fromRegistry(workspace, reference, platform, jobs);
  }

  /** Every platform of a multi-platform image and its index, as one entry of the store. */
  private static Pulled wholeFromRegistry(Workspace workspace, ImageReference reference, int jobs)
      throws IOException {
    Puller puller = new Puller(workspace.registries(), jobs, RetryPolicy.defaults(), workspace.transfers());
    workspace.events().pulling(reference);
    Optional<Digest> before = stored(workspace, reference);
    try (Staging staging = workspace.store().stage()) {
      RemoteIndex all = puller.pullAll(reference, new StorePullTarget(staging));
      ImageReference repository = ImageReference.parse(reference.name());
      Digest digest = all.index() != null ? all.index().digest() : all.images().get(0).manifest().digest();
      String repoDigest = reference.name() + "@" + digest;
      Descriptor entry;
      if (all.index() == null) {
        RemoteImage image = all.images().get(0);
        entry = NewImages.stage(staging, new NewImage(image.manifest(), image.config(), null, repository, repoDigest));
      } else {
        List<NewImage> images = all.images().stream()
            .map(image -> NewImage.built(image.manifest(), image.config(), null)).toList();
        entry = NewImages.stageIndex(staging, Index.parse(all.index().bytes()), images, repository, repoDigest);
      }
      ImageReference tagName = reference.tag() == null ? null : reference.withTag(reference.tag());
      List<IndexEditor.Moved> moved = new ArrayList<>();
      staging.commit(editor -> moved.addAll(NewImages.name(editor, entry, tagName == null ? List.of() : List.of(tagName))));
      LocalImages.reportMoved(workspace, moved);
      workspace.events().pulled(reference, digest, before.filter(entry.digest()::equals).isEmpty());
      return new Pulled(reference, digest, false);
    }
  }

  private static Pulled fromRegistry(Workspace workspace, ImageReference reference, Platform platform, int jobs)
      throws IOException {
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

  /** An image of an archive or layout, into the store under the names the archive gives it. */
  private static Pulled fromArchive(Workspace workspace, ImageLocation location, Platform platform)
      throws IOException {
    try (ArchiveFiles files = ArchiveSources.open(location.path(), workspace.tempDir());
        Staging staging = workspace.store().stage()) {
      ArchivedImage archived = ArchivedImages.select(ArchivedImages.list(files, platform), location.ref(),
          location.text());
      ImageLoad.Staged staged = ImageLoad.stage(archived, staging, workspace.events());
      List<IndexEditor.Moved> moved = new ArrayList<>();
      staging.commit(editor -> moved.addAll(NewImages.name(editor, staged.entry(), archived.names())));
      LocalImages.reportMoved(workspace, moved);
      ImageReference name = archived.names().isEmpty() ? null : archived.names().get(0);
      return new Pulled(name, staged.digest(), false, location.text());
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
  static Pulled complete(Workspace workspace, LocalImage image, int jobs) throws IOException {
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
