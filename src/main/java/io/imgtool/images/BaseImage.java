package io.imgtool.images;

import io.imgtool.image.Image;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.RemoteImage;
import io.imgtool.registry.RemoteImages;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.store.ImageNotFoundException;
import java.io.IOException;

/**
 * The BASE of a commit, diff or unpack: {@code scratch}, a local image by name or ID, or else a
 * registry image, of which only the manifest and config are fetched (its layers stay in the
 * registry until something needs their bytes).
 *
 * @param image the base in its own format, or null for scratch
 * @param source the registry repository holding the base's layers that are not in the store, or null
 */
record BaseImage(Image image, ImageReference source) {
  static final String SCRATCH = "scratch";

  static BaseImage resolve(Workspace workspace, String text, Platform platform) throws IOException {
    if (text.equals(SCRATCH)) {
      return new BaseImage(null, null);
    }
    try {
      LocalImage local = new LocalImages(workspace).resolve(text);
      return new BaseImage(local.image(), local.layersFrom().orElse(null));
    } catch (ImageNotFoundException e) {
      if (!ImageReference.isValid(text)) {
        throw e;
      }
    }
    ImageReference reference = ImageReference.parse(text);
    workspace.events().info("Unable to find image '" + reference.familiar() + "' locally; using it from "
        + reference.registry());
    try {
      RemoteImage remote = new RemoteImages(workspace.registries(), RetryPolicy.defaults(), workspace.transfers())
          .fetch(reference, platform);
      return new BaseImage(remote.image(), ImageReference.parse(reference.name()));
    } catch (IOException | RuntimeException e) {
      throw new ImageUnavailableException("no image " + reference.familiar() + " in the store, and "
          + reference.registry() + " could not provide it: " + Failures.message(e), e);
    }
  }
}
