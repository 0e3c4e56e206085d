package io.imgtool.cli;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Manifest;
import io.imgtool.mutate.Committed;
import io.imgtool.name.ImageReference;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stores a new image's config and manifest and names it, as one step. */
final class NewImages {
  private NewImages() {}

  /**
   * The store keeps OCI manifests only, because skopeo and umoci cannot read a Docker manifest
   * in an OCI layout; a Docker-format image is annotated so that push writes it as Docker.
   *
   * @param source the registry repository holding layers that are not in the store, or null
   */
  static Descriptor store(Staging staging, Committed image, ImageReference name, String source)
      throws IOException {
    Manifest manifest = FormatConversion.manifest(image.manifest(), Format.OCI);
    staging.putBlob(image.config().bytes());
    staging.putBlob(manifest.bytes());
    Descriptor entry = manifest.descriptor();
    if (image.manifest().format() == Format.DOCKER) {
      entry = entry.withAnnotation(Annotations.FORMAT, "docker");
    }
    if (source != null) {
      entry = entry.withAnnotation(Annotations.SOURCE, source);
    }
    Descriptor named = entry;
    staging.commit(editor -> {
      if (name == null) {
        editor.add(named);
      } else {
        editor.tag(name, named);
      }
    });
    return named;
  }

  /** --iidfile: written after the store has the image, so the file never names a missing one. */
  static void writeIidFile(Path file, Committed image) throws IOException {
    if (file != null) {
      Files.writeString(file, image.id().toString());
    }
  }
}
