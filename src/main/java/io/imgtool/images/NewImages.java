package io.imgtool.images;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Index;
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
   * Stores the image and names it (or leaves it untagged when {@code name} is null), as one step.
   *
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
    Descriptor entry = stage(staging, image);
    List<IndexEditor.Moved> moved = new ArrayList<>();
    staging.commit(editor -> moved.addAll(name(editor, entry, name == null ? List.of() : List.of(name))));
    if (workspace != null) {
      LocalImages.reportMoved(workspace, moved);
    }
    return entry;
  }

  /**
   * Stages the image's documents and returns its index entry, for a commit that may name several
   * images at once. The store's entry is an OCI manifest, because skopeo and umoci cannot read a
   * Docker manifest in an OCI layout; a Docker image's own manifest is kept beside it as the
   * exact bytes, which push and {@code images --digests} use. The index an image was chosen from
   * is kept too.
   */
  static Descriptor stage(Staging staging, NewImage image) throws IOException {
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
    return entry;
  }

  /**
   * Stages a multi-platform image whole, as {@link IndexForm} lays it out, and returns its index
   * entry. Its images are kept as single images are.
   *
   * @param images the index's images, in the order it lists them
   */
  static Descriptor stageIndex(Staging staging, Index own, List<NewImage> images, ImageReference source,
      String repoDigest) throws IOException {
    IndexForm form = IndexForm.of(own, images.stream().map(NewImage::manifest).toList());
    for (NewImage image : images) {
      putIfAbsent(staging, image.config().bytes());
      putIfAbsent(staging, image.manifest().bytes());
    }
    for (Manifest converted : form.converted()) {
      putIfAbsent(staging, converted.bytes());
    }
    putIfAbsent(staging, own.bytes());
    putIfAbsent(staging, form.oci().bytes());
    Descriptor entry = form.entry();
    if (source != null) {
      entry = entry.withAnnotation(Annotations.SOURCE, source.name());
    }
    return repoDigest == null ? entry : Annotations.withRepoDigest(entry, repoDigest);
  }

  /**
   * Gives the entry each name; without names it is an untagged image.
   *
   * @return the images the names moved off that are left without a name
   */
  static List<IndexEditor.Moved> name(IndexEditor editor, Descriptor entry, List<ImageReference> names) {
    if (names.isEmpty()) {
      editor.add(entry);
      return List.of();
    }
    names.forEach(name -> editor.tag(name, entry));
    return editor.leftWithoutName();
  }

  private static void putIfAbsent(Staging staging, byte[] bytes) throws IOException {
    if (!staging.hasBlob(Digest.sha256(bytes))) {
      staging.putBlob(bytes);
    }
  }
}
