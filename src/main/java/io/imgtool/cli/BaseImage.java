package io.imgtool.cli;

import io.imgtool.image.Image;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.RemoteImage;
import io.imgtool.registry.RemoteImages;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.store.ImageNotFoundException;
import io.imgtool.store.StoredImage;
import java.io.IOException;
import java.util.Set;

/**
 * The BASE of a commit: {@code scratch}, a local image by name or ID, or else a registry image,
 * of which only the manifest and config are fetched (its layers stay in the registry until
 * something needs their bytes).
 *
 * @param image the base, or null for scratch
 * @param source the registry repository holding the base's layers that are not in the store
 */
record BaseImage(Image image, String source) {
  static final String SCRATCH = "scratch";

  static BaseImage resolve(String text, Platform platform, Set<String> insecure, Session session)
      throws IOException {
    if (text.equals(SCRATCH)) {
      return new BaseImage(null, null);
    }
    try {
      StoredImage stored = session.store().resolve(text);
      return new BaseImage(LocalImages.open(session, stored, insecure), LocalImages.source(stored.manifest()));
    } catch (ImageNotFoundException e) {
      if (!ImageReference.isValid(text)) {
        throw e;
      }
    }
    ImageReference reference = ImageReference.parse(text);
    session.progress().info("Unable to find image '" + reference.familiar() + "' locally; using it from "
        + reference.registry());
    try {
      RemoteImage remote = new RemoteImages(session.registries(insecure), RetryPolicy.defaults(),
          session.transferProgress()).fetch(reference, platform);
      return new BaseImage(remote.image(), reference.name());
    } catch (IOException | RuntimeException e) {
      throw new CommandFailure("no image " + reference.familiar() + " in the store, and "
          + reference.registry() + " could not provide it: " + ErrorHandler.message(ErrorHandler.unwrap(e)), e);
    }
  }
}
