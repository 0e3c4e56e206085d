package io.imgtool.images;

import io.imgtool.archive.ArchiveFiles;
import io.imgtool.image.Image;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.RemoteImage;
import io.imgtool.registry.RemoteImages;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.store.ImageNotFoundException;
import io.imgtool.store.Staging;
import java.io.IOException;

/**
 * The BASE of a commit, diff or unpack: {@code scratch}; a local image by name or ID; an image
 * of an OCI layout or archive ({@code oci:}, {@code oci-archive:}, {@code docker-archive:}),
 * whose blobs are staged into the store's staging area (and enter the store with the new image,
 * if there is one); or else a registry image, of which only the manifest and config are fetched
 * (its layers stay in the registry until something needs their bytes).
 *
 * @param image the base in its own format, or null for scratch
 * @param source the registry repository holding the base's layers that are not in the store, or null
 */
record BaseImage(Image image, ImageReference source) {
  static final String SCRATCH = "scratch";

  /** @param staging where an archived base's blobs go; read back from there */
  static BaseImage resolve(Workspace workspace, String text, Platform platform, Staging staging) throws IOException {
    ImageLocation location = ImageLocation.parse(text);
    if (location instanceof ImageLocation.Scratch) {
      return new BaseImage(null, null);
    }
    if (location instanceof ImageLocation.Named named) {
      return localOrRemote(workspace, named.text(), platform);
    }
    if (location instanceof ImageLocation.Registry registry) {
      return remote(workspace, registry.reference(), platform);
    }
    return archived(workspace, location, platform, staging);
  }

  /**
   * A staging area to read an archived base from when {@code text} names one, never committed;
   * null otherwise, so that reading a local or registry base writes nothing to the store.
   */
  static Staging stagingFor(Workspace workspace, String text) throws IOException {
    return ImageLocation.parse(text).isArchive() ? workspace.store().stage() : null;
  }

  private static BaseImage localOrRemote(Workspace workspace, String text, Platform platform) throws IOException {
    try {
      LocalImage local = new LocalImages(workspace).resolve(text, platform);
      return new BaseImage(local.image(), local.layersFrom().orElse(null));
    } catch (ImageNotFoundException e) {
      if (!ImageReference.isValid(text)) {
        throw e;
      }
    }
    ImageReference reference = ImageReference.parse(text);
    workspace.events().info("Unable to find image '" + reference.familiar() + "' locally; using it from "
        + reference.registry());
    return remote(workspace, reference, platform);
  }

  private static BaseImage remote(Workspace workspace, ImageReference reference, Platform platform) {
    try {
      RemoteImage remote = new RemoteImages(workspace.registries(), RetryPolicy.defaults(), workspace.transfers())
          .fetch(reference, platform);
      return new BaseImage(remote.image(), ImageReference.parse(reference.name()));
    } catch (IOException | RuntimeException e) {
      throw new ImageUnavailableException("no image " + reference.familiar() + " in the store, and "
          + reference.registry() + " could not provide it: " + Failures.message(e), e);
    }
  }

  private static BaseImage archived(Workspace workspace, ImageLocation location, Platform platform, Staging staging)
      throws IOException {
    try (ArchiveFiles files = ArchiveSources.open(location.path(), workspace.tempDir())) {
      ArchivedImage.Single archived = ArchivedImages.select(ArchivedImages.list(files, platform), location.ref(),
          location.text()).single(platform);
      NewImage staged = archived.stage(staging, workspace.events());
      return new BaseImage(new Image(staged.manifest(), staged.config(), staging.blobs()), null);
    }
  }


}
