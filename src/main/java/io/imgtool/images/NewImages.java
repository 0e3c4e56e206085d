package io.imgtool.images;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;
import io.imgtool.store.IndexEditor;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Stores a new image's documents and names it, as one step of the store. */
final class NewImages {
  private NewImages() {}

  /**
   * The store's entry is an OCI manifest, because skopeo and umoci cannot read a Docker manifest
   * in an OCI layout; a Docker image's own manifest is kept beside it as the exact bytes, which
   * push and {@code images --digests} use. The index an image was chosen from is kept too.
   *
   * @param name the name to give it, or null for an untagged image
   * @return the index entry, without the name
   */
  static Descriptor store(Staging staging, NewImage image, ImageReference name) throws IOException {
    return store(staging, image, name, null);
  }

  /**
   * As {@link #store(Staging, NewImage, ImageReference)}, and when the name leaves the image it
   * named before without a name, says so through the workspace's events.
   */
  static Descriptor store(Staging staging, NewImage image, ImageReference name, Workspace workspace)
      throws IOException {
    putIfAbsent(staging, image.config().bytes());
    Manifest own = image.manifest();
    putIfAbsent(staging, own.bytes());
    Descriptor entry;
    if (own.format() == Format.DOCKER) {
      Manifest oci = FormatConversion.manifest(own, Format.OCI);
      putIfAbsent(staging, oci.bytes());
      entry = oci.descriptor()
          .withAnnotation(Annotations.FORMAT, "docker")
          .withAnnotation(Annotations.MANIFEST, own.digest().toString());
    } else {
      entry = own.descriptor();
    }
    if (image.index() != null) {
      putIfAbsent(staging, image.index().bytes());
      entry = entry.withAnnotation(Annotations.INDEX, image.index().digest().toString());
    }
    if (image.source() != null) {
      entry = entry.withAnnotation(Annotations.SOURCE, image.source().name());
    }
    if (image.repoDigest() != null) {
      entry = Annotations.withRepoDigest(entry, image.repoDigest());
    }
    Descriptor named = entry;
    List<IndexEditor.Moved> moved = new ArrayList<>();
    staging.commit(editor -> {
      if (name == null) {
        editor.add(named);
      } else {
        editor.tag(name, named);
        moved.addAll(editor.leftWithoutName());
      }
    });
    if (workspace != null) {
      LocalImages.reportMoved(workspace, moved);
    }
    return named;
  }

  private static void putIfAbsent(Staging staging, byte[] bytes) throws IOException {
    if (!staging.hasBlob(io.imgtool.image.Digest.sha256(bytes))) {
      staging.putBlob(bytes);
    }
  }
}
