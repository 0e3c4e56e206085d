package io.imgtool.store;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Index;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The images behind index entries: manifests and configs read from blobs, digests checked.
 * Parsed documents are cached by digest, which is safe because blobs never change.
 */
final class Catalog {
  private final Blobs blobs;
  private final Map<Digest, Manifest> manifests = new ConcurrentHashMap<>();
  private final Map<Digest, ImageConfig> configs = new ConcurrentHashMap<>();

  Catalog(Blobs blobs) {
    this.blobs = blobs;
  }

  /** The image entries (manifests, and indexes of multi-platform images; not artifacts), in index order. */
  List<StoredImage> images(List<Descriptor> entries) throws IOException {
    List<StoredImage> images = new ArrayList<>();
    for (Descriptor entry : entries) {
      if (MediaType.isManifest(entry.mediaType()) || MediaType.isIndex(entry.mediaType())) {
        images.add(image(entry));
      }
    }
    return images;
  }

  /**
   * An entry as {@code images} lists it. A multi-platform image is known by its index's digest,
   * as with Docker's containerd store: its size is every platform's, its creation the newest.
   */
  StoredImage image(Descriptor entry) throws IOException {
    if (MediaType.isIndex(entry.mediaType())) {
      long size = 0;
      Optional<Instant> created = Optional.empty();
      for (Descriptor child : index(entry).manifests()) {
        if (MediaType.isManifest(child.mediaType())) {
          StoredImage image = image(child);
          size += image.size();
          created = latest(created, image.created());
        }
      }
      Digest id = Annotations.digest(entry, Annotations.MANIFEST).orElse(entry.digest()); // the index as pulled
      return new StoredImage(IndexEditor.nameOf(entry), IndexEditor.withoutName(entry), id, created, size);
    }
    Manifest manifest = manifest(entry);
    ImageConfig config = config(manifest.config());
    long size = manifest.config().size();
    for (Descriptor layer : manifest.layers()) {
      size += layer.size();
    }
    return new StoredImage(IndexEditor.nameOf(entry), IndexEditor.withoutName(entry),
        config.digest(), created(config.created()), size);
  }

  Index index(Descriptor descriptor) throws IOException {
    byte[] bytes = readChecked(descriptor, "index");
    return parse(descriptor, "index", () -> Index.parse(bytes));
  }

  private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
  }

  Manifest manifest(Descriptor descriptor) throws IOException {
    Manifest cached = manifests.get(descriptor.digest());
    if (cached == null) {
      byte[] bytes = readChecked(descriptor, "manifest");
      cached = parse(descriptor, "manifest", () -> Manifest.parse(bytes));
      manifests.put(descriptor.digest(), cached);
    }
    return cached;
  }

  ImageConfig config(Descriptor descriptor) throws IOException {
    ImageConfig cached = configs.get(descriptor.digest());
    if (cached == null) {
      byte[] bytes = readChecked(descriptor, "config");
      cached = parse(descriptor, "config", () -> ImageConfig.parse(bytes));
      configs.put(descriptor.digest(), cached);
    }
    return cached;
  }

  private byte[] readChecked(Descriptor descriptor, String role) throws IOException {
    byte[] bytes = blobs.read(descriptor.digest());
    if (bytes.length != descriptor.size()) {
      throw new StoreException("the store's " + role + " " + descriptor.digest() + " is "
          + bytes.length + " bytes but is referred to with size " + descriptor.size());
    }
    return bytes;
  }

  private interface Parser<T> {
    T parse();
  }

  private static <T> T parse(Descriptor descriptor, String role, Parser<T> parser) {
    try {
      return parser.parse();
    } catch (InvalidImageException e) {
      throw new StoreException("the store's " + role + " " + descriptor.digest() + " is invalid: "
          + e.getMessage(), e);
    }
  }

  static Optional<Instant> created(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
