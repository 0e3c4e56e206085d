package io.imgtool.images;

import io.imgtool.archive.ImageArchiveWriter;
import io.imgtool.image.Annotations;
import io.imgtool.image.Digest;
import io.imgtool.image.Index;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.store.StoredImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code docker save}: local images as one tar that docker load, podman load and skopeo
 * (docker-archive: and oci-archive:) read, every blob once. A lazy image's base layers are
 * fetched into the store first.
 */
public final class ImageSave {
  private ImageSave() {}

  /**
   * @param images names or IDs; an image named by ID goes in without a name, as with Docker
   * @param platform the one platform to save of multi-platform images, which single ones must be; null for all
   * @param file where to write (replaced only once the archive is whole), or null for {@code stdout}
   */
  public static void run(Workspace workspace, List<String> images, Platform platform, Path file,
      OutputStream stdout, int jobs)
      throws IOException {
    Map<Digest, List<ImageReference>> names = new LinkedHashMap<>();
    Map<Digest, LocalImage> byEntry = new LinkedHashMap<>();
    LocalImages local = new LocalImages(workspace);
    for (String text : images) {
      LocalImage image = platform == null ? local.resolve(text) : onlyFor(local, text, platform);
      if (image.lazy()) {
        ImagePull.complete(workspace, image, jobs);
      }
      byEntry.putIfAbsent(image.entry().digest(), image);
      List<ImageReference> imageNames = names.computeIfAbsent(image.entry().digest(), d -> new ArrayList<>());
      namedBy(workspace, text).filter(n -> !imageNames.contains(n)).ifPresent(imageNames::add);
    }
    ArchiveDestinations.Contents contents = writer -> {
      for (Map.Entry<Digest, LocalImage> entry : byEntry.entrySet()) {
        LocalImage image = entry.getValue();
        List<ImageReference> imageNames = names.get(entry.getKey());
        if (image.isMultiPlatform() && platform == null) {
          ArchiveOutput.writeWhole(writer, local.whole(image), image.entry(), imageNames, image.image());
        } else {
          ArchiveOutput.write(writer, export(workspace, image, imageNames), null);
        }
      }
    };
    if (file != null) {
      ArchiveDestinations.writeArchive(file, contents);
      return;
    }
    BufferedOutputStream buffered = new BufferedOutputStream(stdout, 1 << 16);
    ImageArchiveWriter writer = new ImageArchiveWriter(buffered);
    contents.write(writer);
    writer.finish();
    buffered.flush();
  }

  /** The image to save for {@code platform}: a multi-platform image's, saved alone; a single image must be of it. */
  private static LocalImage onlyFor(LocalImages local, String text, Platform platform) throws IOException {
    LocalImage image = local.resolve(text, platform);
    Platform own = Platform.fromJson(image.image().config().toJson());
    if (!image.isMultiPlatform() && own.os() != null && own.architecture() != null && !own.matches(platform)) {
      throw new InvalidRequestException(text + " is an image for " + own + ", not " + platform
          + "; save it without --platform");
    }
    return image;
  }

  /** A local image as it goes into an archive: its own manifest, and the index it came from. */
  static ExportedImage export(Workspace workspace, LocalImage image, List<ImageReference> names) throws IOException {
    Optional<Digest> index = Annotations.digest(image.entry(), Annotations.INDEX);
    Index parsed = index.isPresent() ? Index.parse(workspace.store().readBlob(index.get())) : null;
    return new ExportedImage(image.image(), parsed, names);
  }

  /** The name the argument gives the image, when it is one of its names rather than an ID. */
  private static Optional<ImageReference> namedBy(Workspace workspace, String text) throws IOException {
    if (!ImageReference.isValid(text)) {
      return Optional.empty();
    }
    ImageReference name = ImageReference.parse(text);
    if (name.digest() != null) {
      return Optional.empty();
    }
    Optional<StoredImage> stored = workspace.store().named(name);
    return stored.map(s -> name);
  }
}
