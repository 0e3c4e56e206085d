package io.imgtool.images;

import io.imgtool.image.Compression;
import io.imgtool.image.Format;
import io.imgtool.layer.BuiltLayer;
import io.imgtool.layer.LayerBuilder;
import io.imgtool.layer.RootfsDiff;
import io.imgtool.mutate.NewLayer;
import io.imgtool.store.BlobWriter;
import io.imgtool.store.StagedBlob;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;

/** Builds layer blobs straight into a store staging area: the composition of layer and store. */
final class StagedLayers {
  private final Staging staging;
  private final LayerBuilder builder;
  private final ImageEvents events;

  StagedLayers(Staging staging, Compression compression, int level, ImageEvents events) {
    this.staging = staging;
    this.builder = new LayerBuilder(compression, level);
    this.events = events;
  }

  /** One pass: read the tarball, validate, hash, compress into the staging area. */
  NewLayer add(LayerSource input, Format format, String createdBy) throws IOException {
    try (InputStream in = input.open()) {
      return add(in, input.size(), input.argument(), "layer " + input.displayName(), format, createdBy);
    }
  }

  /** The changeset between an edited root filesystem and its base, streamed into a layer. */
  NewLayer add(RootfsDiff diff, Path dir, Instant clamp, Format format, String createdBy) throws IOException {
    return RootfsInput.stream(diff, clamp,
        tar -> add(tar, -1, dir.toString(), "changes in " + dir, format, createdBy));
  }

  private NewLayer add(InputStream tar, long size, String source, String label, Format format, String createdBy)
      throws IOException {
    BuiltLayer built;
    StagedBlob blob;
    try (InputStream in = events.reading(label, size, tar); BlobWriter writer = staging.newBlob()) {
      built = builder.build(in, writer, source);
      blob = writer.finish(built.digest());
    }
    events.layerBuilt(label, blob.size(), built.compression(), built.digest());
    return new NewLayer(blob.descriptor(built.mediaType(format)), built.diffId(), createdBy);
  }
}
