package io.imgtool.images;

import io.imgtool.archive.BlobSink;
import io.imgtool.archive.ImageArchiveWriter;
import io.imgtool.archive.OciLayoutWriter;
import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Image;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Writes images into an archive ({@link ImageArchiveWriter}) or a layout directory ({@link OciLayoutWriter}). */
final class ArchiveOutput {
  private ArchiveOutput() {}

  /**
   * Adds the image to the archive: its blobs once, an index.json entry per name (one without a
   * name, or named {@code ref}, when it has none), and its manifest.json and repositories lines.
   *
   * @param ref the reference name to give an image without names (oci-archive:FILE:REF), or null
   */
  static void write(ImageArchiveWriter writer, ExportedImage exported, String ref) throws IOException {
    Image image = exported.image();
    copyBlobs(writer, exported);
    Descriptor entry = exported.entry();
    if (exported.names().isEmpty()) {
      writer.ociEntry(ref == null ? entry : entry.withAnnotation(Descriptor.REF_NAME, ref));
    }
    List<String> repoTags = new ArrayList<>();
    for (ImageReference name : exported.names()) {
      writer.ociEntry(ExportedImage.named(entry, name));
      repoTags.add(name.familiar());
      writer.repository(name.familiarRepository(), name.tag(), image.id());
    }
    writer.dockerImage(image.config().digest(), repoTags, image.layers().stream().map(Descriptor::digest).toList());
  }

  /**
   * Adds a multi-platform image whole: every platform's blobs and manifests, the index as it is
   * known and its OCI form (the index.json entry, under each name), and for Docker's
   * manifest.json the image of one platform, which is what docker load of an old daemon takes.
   */
  static void writeWhole(ImageArchiveWriter writer, LocalImages.WholeIndex whole, Descriptor entry,
      List<ImageReference> names, Image shown) throws IOException {
    copyWholeBlobs(writer, whole);
    Descriptor kept = withoutStoreNotes(entry);
    if (names.isEmpty()) {
      writer.ociEntry(kept);
    }
    List<String> repoTags = new ArrayList<>();
    for (ImageReference name : names) {
      writer.ociEntry(ExportedImage.named(kept, name));
      repoTags.add(name.familiar());
      writer.repository(name.familiarRepository(), name.tag(), shown.id());
    }
    writer.dockerImage(shown.config().digest(), repoTags, shown.layers().stream().map(Descriptor::digest).toList());
  }

  /** Adds the image to a layout directory under {@code ref} (or unnamed when null), as skopeo does. */
  static void write(OciLayoutWriter writer, ExportedImage exported, String ref) throws IOException {
    copyBlobs(writer, exported);
    Descriptor entry = exported.entry();
    writer.entry(ref == null ? entry : entry.withAnnotation(Descriptor.REF_NAME, ref));
  }

  /** Adds a multi-platform image whole to a layout directory, under {@code ref} (or unnamed when null). */
  static void writeWhole(OciLayoutWriter writer, LocalImages.WholeIndex whole, Descriptor entry, String ref)
      throws IOException {
    copyWholeBlobs(writer, whole);
    Descriptor kept = withoutStoreNotes(entry);
    writer.entry(ref == null ? kept : kept.withAnnotation(Descriptor.REF_NAME, ref));
  }

  /** Where the store found the layers and what registries hold it are the store's business, not the archive's. */
  private static Descriptor withoutStoreNotes(Descriptor entry) {
    return entry.withAnnotation(Annotations.SOURCE, null).withAnnotation(Annotations.REPO_DIGESTS, null);
  }

  private static void copyWholeBlobs(BlobSink sink, LocalImages.WholeIndex whole) throws IOException {
    for (Image image : whole.images()) {
      copyBlobs(sink, new ExportedImage(image, null, List.of()));
    }
    for (byte[] index : List.of(whole.oci().bytes(), whole.own().bytes())) {
      Digest digest = Digest.sha256(index);
      if (!sink.hasBlob(digest)) {
        sink.blob(digest, index.length, new ByteArrayInputStream(index));
      }
    }
  }

  private static void copyBlobs(BlobSink sink, ExportedImage exported) throws IOException {
    forEachBlob(exported, (digest, size, content) -> {
      if (!sink.hasBlob(digest)) {
        try (InputStream in = content.open()) {
          sink.blob(digest, size, in);
        }
      }
    });
  }

  @FunctionalInterface
  private interface BlobWrite {
    void write(Digest digest, long size, Content content) throws IOException;
  }

  @FunctionalInterface
  private interface Content {
    InputStream open() throws IOException;
  }

  /** Layers, config, the OCI form of the manifest, its own form, the index: each blob the layout needs. */
  private static void forEachBlob(ExportedImage exported, BlobWrite write) throws IOException {
    Image image = exported.image();
    for (Descriptor layer : image.layers()) {
      write.write(layer.digest(), layer.size(), () -> image.blobs().open(layer));
    }
    document(write, image.config().bytes());
    Manifest oci = exported.ociManifest();
    document(write, oci.bytes());
    if (!oci.digest().equals(image.manifest().digest())) {
      document(write, image.manifest().bytes());
    }
    if (exported.index() != null) {
      document(write, exported.index().bytes());
    }
  }

  private static void document(BlobWrite write, byte[] bytes) throws IOException {
    write.write(Digest.sha256(bytes), bytes.length, () -> new ByteArrayInputStream(bytes));
  }
}
