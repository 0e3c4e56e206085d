package io.imgtool.images;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Image;
import io.imgtool.image.Index;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;
import java.util.List;

/**
 * An image on its way into an archive or layout: itself (its own manifest's exact bytes, config,
 * blobs), the index it came from, and its names there. The layout's entry is the OCI form, which
 * every tool that reads layouts understands; a Docker image's own manifest travels beside it, as
 * in the store, so that loading the archive again keeps its digest.
 */
record ExportedImage(Image image, Index index, List<ImageReference> names) {
  /** The layout's form of the manifest: the image's own when it is OCI. */
  Manifest ociManifest() {
    return FormatConversion.manifest(image.manifest(), Format.OCI);
  }

  /** The index.json entry, without names: the OCI form, annotated with what else the image is. */
  Descriptor entry() {
    Manifest own = image.manifest();
    Descriptor entry = ociManifest().descriptor();
    if (own.format() == Format.DOCKER) {
      entry = entry.withAnnotation(Annotations.FORMAT, "docker")
          .withAnnotation(Annotations.MANIFEST, own.digest().toString());
    }
    if (index != null) {
      entry = entry.withAnnotation(Annotations.INDEX, index.digest().toString());
    }
    return entry;
  }

  /** The entry under a name, as Docker 25+ writes it: the tag as ref.name, the whole name for containerd. */
  static Descriptor named(Descriptor entry, ImageReference name) {
    return entry.withAnnotation(Descriptor.REF_NAME, name.tag())
        .withAnnotation(ArchivedImages.CONTAINERD_NAME, name.toString());
  }
}
