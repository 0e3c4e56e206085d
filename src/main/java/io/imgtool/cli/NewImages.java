package io.imgtool.cli;

import io.imgtool.mutate.Committed;
import io.imgtool.name.ImageReference;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stores a committed image's config and manifest and names it, as one step. */
final class NewImages {
  private NewImages() {}

  static void store(Staging staging, Committed image, ImageReference name) throws IOException {
    staging.putBlob(image.config().bytes());
    staging.putBlob(image.manifest().bytes());
    staging.commit(editor -> {
      if (name == null) {
        editor.add(image.manifest().descriptor());
      } else {
        editor.tag(name, image.manifest().descriptor());
      }
    });
  }

  /** --iidfile: written after the store has the image, so the file never names a missing one. */
  static void writeIidFile(Path file, Committed image) throws IOException {
    if (file != null) {
      Files.writeString(file, image.id().toString());
    }
  }
}
