package io.imgtool.images;

import io.imgtool.archive.ArchiveException;
import io.imgtool.archive.ArchiveFiles;
import io.imgtool.archive.OciLayout;
import io.imgtool.image.BlobSource;
import io.imgtool.image.Compression;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Index;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import io.imgtool.image.Parallel;
import io.imgtool.image.Platform;
import io.imgtool.layer.BuiltLayer;
import io.imgtool.layer.LayerBuilder;
import io.imgtool.layer.LayerDigests;
import io.imgtool.name.ImageReference;
import io.imgtool.store.BlobWriter;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An image found in an archive or layout, on its way into the store or elsewhere. */
sealed interface ArchivedImage {
  /** The names the archive gives it; empty for an untagged image. */
  List<ImageReference> names();

  /** The reference names its layout entries carry ({@code oci:DIR:REF}); none for a Docker archive. */
  Set<String> refs();

  /**
   * Brings its blobs into the staging area, each verified (layers against the config's diffIDs
   * too), and returns its entry for the store's index, without names.
   */
  Descriptor stageEntry(Staging staging, ImageEvents events) throws IOException;

  /** One image of it: itself, or a multi-platform image's image for the platform. */
  Single single(Platform platform);

  /** An archived image that is one image, not a multi-platform index. */
  sealed interface Single extends ArchivedImage {
    /** Brings its blobs into the staging area, each verified, and returns what the store records of it. */
    NewImage stage(Staging staging, ImageEvents events) throws IOException;

    @Override
    default Descriptor stageEntry(Staging staging, ImageEvents events) throws IOException {
      return NewImages.stage(staging, stage(staging, events));
    }

    @Override
    default Single single(Platform platform) {
      return this;
    }
  }

  /**
   * An image of an OCI layout: the manifest it is known by (the exact bytes imgtool saved beside
   * the layout's OCI form, or the entry itself), its config, the index it came from.
   */
  record InLayout(List<ImageReference> names, Set<String> refs, Manifest manifest, ImageConfig config,
      Index index, OciLayout layout) implements Single {

    /** Its blobs are read from the layout, each checked against its digest. */
    Image image() {
      BlobSource blobs = blob -> blob.digest().equals(config.digest())
          ? new java.io.ByteArrayInputStream(config.bytes()) : layout.openBlob(blob);
      return new Image(manifest, config, blobs);
    }

    @Override
    public NewImage stage(Staging staging, ImageEvents events) throws IOException {
      List<Digest> diffIds = config.diffIds();
      List<Descriptor> layers = manifest.layers();
      requireDiffIds(diffIds, layers.size(), layout.toString());
      List<Integer> missing = new ArrayList<>();
      Set<Digest> seen = new HashSet<>(); // a blob listed twice in one image is staged once, at its first place
      for (int i = 0; i < layers.size(); i++) {
        if (!staging.hasBlob(layers.get(i).digest()) && seen.add(layers.get(i).digest())) {
          missing.add(i);
        }
      }
      // Decompressing a layer to check its diffID takes a core: layers are checked side by side.
      Parallel.forEach(Runtime.getRuntime().availableProcessors(), missing,
          i -> stageLayer(layers.get(i), diffIds.get(i), staging, events));
      return new NewImage(manifest, config, index, null, null);
    }

    private void stageLayer(Descriptor layer, Digest diffId, Staging staging, ImageEvents events) throws IOException {
      String label = "layer " + layer.digest().shortHex();
      try (InputStream in = events.reading(label, layer.size(), layout.openBlob(layer));
          BlobWriter writer = staging.newBlob()) {
        Digest actual = LayerDigests.copy(in, writer, label + " in " + layout);
        writer.finish(layer.digest());
        requireDiffId(actual, diffId, layer.digest(), layout.toString());
      }
      events.layerBuilt(label, layer.size(), MediaType.layerCompression(layer.mediaType()), layer.digest());
    }
  }

  /**
   * A multi-platform image of an OCI layout that holds every image its index lists: it enters
   * the store whole, its index keeping its digest.
   *
   * @param index the index as it is known (its own bytes)
   * @param images its images, in the order the index lists them
   */
  record WholeInLayout(List<ImageReference> names, Set<String> refs, Index index, List<InLayout> images)
      implements ArchivedImage {

    @Override
    public Descriptor stageEntry(Staging staging, ImageEvents events) throws IOException {
      List<NewImage> staged = new ArrayList<>();
      for (InLayout image : images) {
        staged.add(image.stage(staging, events));
      }
      return NewImages.stageIndex(staging, index, staged, null, null);
    }

    /** The platform's image, which the index must list. */
    @Override
    public Single single(Platform platform) {
      Descriptor chosen = index.manifestFor(platform).orElseThrow(() -> new InvalidRequestException(
          "no image for platform " + platform + " in " + images.get(0).layout() + "; it has "
          + String.join(", ", index.platforms()) + " (choose one with --platform)"));
      return images.get(index.manifests().indexOf(chosen));
    }
  }

  /**
   * An image of a {@code docker save} archive without an OCI layout: a config file and
   * uncompressed layer tars, which enter the store gzip-compressed, as a Docker v2s2 image (the
   * image ID, its config's digest, stays the archive's).
   */
  record InDockerArchive(List<ImageReference> names, ImageConfig config, List<String> layers, ArchiveFiles files)
      implements Single {

    @Override
    public Set<String> refs() {
      return Set.of();
    }

    @Override
    public NewImage stage(Staging staging, ImageEvents events) throws IOException {
      List<Digest> diffIds = config.diffIds();
      requireDiffIds(diffIds, layers.size(), files.toString());
      LayerBuilder builder = new LayerBuilder(Compression.GZIP, -1);
      List<Descriptor> descriptors = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        String path = layers.get(i);
        String label = "layer " + path;
        BuiltLayer built;
        long size;
        try (InputStream in = events.reading(label, -1, files.open(path)); BlobWriter writer = staging.newBlob()) {
          built = builder.build(in, writer, path + " in " + files);
          size = writer.finish(built.digest()).size();
        }
        requireDiffId(built.diffId(), diffIds.get(i), built.digest(), files.toString());
        events.layerBuilt(label, size, built.compression(), built.digest());
        descriptors.add(Descriptor.of(built.mediaType(Format.DOCKER), built.digest(), size));
      }
      Descriptor configDescriptor = Descriptor.of(MediaType.DOCKER_CONFIG, config.digest(), config.size());
      return new NewImage(Manifest.create(Format.DOCKER, configDescriptor, descriptors, Map.of()), config, null,
          null, null);
    }
  }

  private static void requireDiffIds(List<Digest> diffIds, int layers, String where) {
    if (diffIds.size() != layers) {
      throw new ArchiveException("an image in " + where + " has " + layers + " layers but its config lists "
          + diffIds.size() + " diff_ids");
    }
  }

  private static void requireDiffId(Digest actual, Digest expected, Digest layer, String where) {
    if (!actual.equals(expected)) {
      throw new ArchiveException("layer " + layer + " in " + where + " is not the layer its config names: its"
          + " content hashes to " + actual + ", not the diff_id " + expected);
    }
  }
}
