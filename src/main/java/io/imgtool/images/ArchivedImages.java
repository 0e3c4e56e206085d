package io.imgtool.images;

import io.imgtool.archive.ArchiveException;
import io.imgtool.archive.ArchiveFiles;
import io.imgtool.archive.DockerArchive;
import io.imgtool.archive.OciLayout;
import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Index;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The images of an archive or layout: the OCI layout's entries when there is one (Docker 25+
 * archives and imgtool's are both; its manifests keep their digests), else the images of a
 * {@code docker save} archive's manifest.json.
 */
final class ArchivedImages {
  /** The name Docker and containerd give an entry; its ref.name is then the tag alone. */
  static final String CONTAINERD_NAME = "io.containerd.image.name";

  private ArchivedImages() {}

  static List<ArchivedImage> list(ArchiveFiles files, Platform platform) throws IOException {
    if (OciLayout.isLayout(files)) {
      return fromLayout(OciLayout.read(files), platform);
    }
    if (DockerArchive.isArchive(files)) {
      return fromDockerArchive(files);
    }
    throw new ArchiveException(files + " is neither an OCI image layout (oci-layout, index.json) nor a docker save"
        + " archive (manifest.json)");
  }

  /** The image {@code ref} names (a reference name, or a name), or the only one when ref is null. */
  static ArchivedImage select(List<ArchivedImage> images, String ref, String where) {
    if (ref == null) {
      if (images.size() != 1) {
        throw new InvalidRequestException(where + " holds " + images.size() + " images; name one, e.g. "
            + where + ":" + describe(images.isEmpty() ? null : images.get(0)));
      }
      return images.get(0);
    }
    Optional<ImageReference> name = ImageReference.isValid(ref) ? Optional.of(ImageReference.parse(ref))
        : Optional.empty();
    return images.stream()
        .filter(image -> image.refs().contains(ref) || name.filter(image.names()::contains).isPresent())
        .findFirst()
        .orElseThrow(() -> new InvalidRequestException("no image \"" + ref + "\" in " + where + "; it holds "
            + String.join(", ", images.stream().map(ArchivedImages::describe).toList())));
  }

  private static String describe(ArchivedImage image) {
    if (image == null) {
      return "NAME";
    }
    if (!image.refs().isEmpty()) {
      return image.refs().iterator().next();
    }
    return image.names().isEmpty() ? "<untagged>" : image.names().get(0).familiar();
  }

  // ---- OCI layout

  private static List<ArchivedImage> fromLayout(OciLayout layout, Platform platform) throws IOException {
    Map<Digest, List<Descriptor>> byManifest = new LinkedHashMap<>();
    for (Descriptor entry : layout.entries()) {
      byManifest.computeIfAbsent(entry.digest(), d -> new ArrayList<>()).add(entry);
    }
    List<ArchivedImage> images = new ArrayList<>();
    for (List<Descriptor> entries : byManifest.values()) {
      images.add(fromEntries(layout, entries, platform));
    }
    return images;
  }

  /** One manifest (or index) of the layout, with every name its entries give it. */
  private static ArchivedImage fromEntries(OciLayout layout, List<Descriptor> entries, Platform platform)
      throws IOException {
    Set<ImageReference> names = new LinkedHashSet<>();
    Set<String> refs = new LinkedHashSet<>();
    for (Descriptor entry : entries) {
      nameOf(entry).ifPresent(names::add);
      Optional.ofNullable(entry.annotation(Descriptor.REF_NAME)).ifPresent(refs::add);
    }
    Descriptor entry = entries.get(0);
    if (MediaType.isIndex(entry.mediaType())) {
      return fromIndex(layout, entry, List.copyOf(names), refs, platform);
    }
    Index index = null;
    Optional<Digest> from = Annotations.digest(entry, Annotations.INDEX);
    if (from.isPresent() && layout.hasBlob(from.get())) { // an image imgtool saved keeps its index
      index = Index.parse(layout.readBlob(from.get()));
    }
    return inLayout(layout, entry, List.copyOf(names), refs, index);
  }

  private static ArchivedImage.InLayout inLayout(OciLayout layout, Descriptor entry, List<ImageReference> names,
      Set<String> refs, Index index) throws IOException {
    Manifest own = ownManifest(layout, entry);
    ImageConfig config = ImageConfig.parse(layout.readBlob(own.config()));
    return new ArchivedImage.InLayout(names, refs, own, config, index, layout);
  }

  /**
   * A multi-platform entry: whole when the layout holds every image its index lists (as Docker
   * 25+ and imgtool save them), else the platform's image, which must be there.
   */
  private static ArchivedImage fromIndex(OciLayout layout, Descriptor entry, List<ImageReference> names,
      Set<String> refs, Platform platform) throws IOException {
    Index oci = Index.parse(layout.readBlob(entry));
    Optional<Digest> ownDigest = Annotations.digest(entry, Annotations.MANIFEST);
    Index own = ownDigest.isPresent() && layout.hasBlob(ownDigest.get())
        ? Index.parse(layout.readBlob(ownDigest.get())) : oci;
    if (holdsEveryImage(layout, oci)) {
      List<ArchivedImage.InLayout> images = new ArrayList<>();
      for (Descriptor child : oci.manifests()) {
        images.add(inLayout(layout, child, names, refs, own));
      }
      return new ArchivedImage.WholeInLayout(names, refs, own, images);
    }
    Descriptor chosen = oci.manifestFor(platform).orElseThrow(() -> new InvalidRequestException("no image for"
        + " platform " + platform + " in " + layout + "; it has " + String.join(", ", oci.platforms())
        + " (choose one with --platform)"));
    if (!layout.hasBlob(chosen.digest())) {
      throw new ArchiveException(layout + " lists an image for " + platform + " but does not hold it");
    }
    return inLayout(layout, chosen, names, refs, own);
  }

  private static boolean holdsEveryImage(OciLayout layout, Index index) throws IOException {
    for (Descriptor child : index.manifests()) {
      if (!MediaType.isManifest(child.mediaType()) || !layout.hasBlob(child.digest())) {
        return false;
      }
      Manifest manifest = ownManifest(layout, child);
      if (!layout.hasBlob(manifest.config().digest())) {
        return false;
      }
      for (Descriptor layer : manifest.layers()) {
        if (!layout.hasBlob(layer.digest())) {
          return false;
        }
      }
    }
    return true;
  }

  /** The manifest an imgtool archive kept beside the OCI form (its own bytes), else the entry's. */
  private static Manifest ownManifest(OciLayout layout, Descriptor entry) throws IOException {
    Optional<Digest> own = Annotations.digest(entry, Annotations.MANIFEST);
    if (own.isPresent() && layout.hasBlob(own.get())) {
      return parse(layout, own.get(), layout.readBlob(own.get()));
    }
    return parse(layout, entry.digest(), layout.readBlob(entry));
  }

  private static Manifest parse(OciLayout layout, Digest digest, byte[] bytes) {
    try {
      return Manifest.parse(bytes);
    } catch (InvalidImageException e) {
      throw new ArchiveException("manifest " + digest + " in " + layout + " is invalid: " + e.getMessage(), e);
    }
  }

  /**
   * The name an entry gives its image: containerd's annotation (Docker 25+ and imgtool write it),
   * else a reference name that is a whole name ({@code app:1}, {@code host/app:1}); a bare word
   * such as skopeo's {@code v1} or Docker's tag alone names no image.
   */
  static Optional<ImageReference> nameOf(Descriptor entry) {
    for (String candidate : List.of(String.valueOf(entry.annotation(CONTAINERD_NAME)),
        String.valueOf(entry.annotation(Descriptor.REF_NAME)))) {
      boolean whole = candidate.contains(":") || candidate.contains("/");
      if (whole && ImageReference.isValid(candidate)) {
        ImageReference name = ImageReference.parse(candidate);
        if (name.digest() == null) {
          return Optional.of(name);
        }
      }
    }
    return Optional.empty();
  }

  // ---- docker save

  private static List<ArchivedImage> fromDockerArchive(ArchiveFiles files) throws IOException {
    List<ArchivedImage> images = new ArrayList<>();
    for (DockerArchive.Item item : DockerArchive.items(files)) {
      ImageConfig config;
      try {
        config = ImageConfig.parse(files.read(item.config(), OciLayout.MAX_DOCUMENT));
      } catch (InvalidImageException e) {
        throw new ArchiveException("the config " + item.config() + " in " + files + " is invalid: "
            + e.getMessage(), e);
      }
      checkConfigName(item.config(), config, files);
      List<ImageReference> names = new ArrayList<>();
      for (String tag : item.repoTags()) {
        if (ImageReference.isValid(tag)) {
          names.add(ImageReference.parse(tag));
        }
      }
      images.add(new ArchivedImage.InDockerArchive(names, config, item.layers(), files));
    }
    return images;
  }

  /** Docker names a config file by its digest: a file that says otherwise was changed. */
  private static void checkConfigName(String path, ImageConfig config, ArchiveFiles files) {
    String file = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.json$", "");
    if (file.matches("[0-9a-f]{64}") && !file.equals(config.digest().hex())) {
      throw new ArchiveException("the config " + path + " in " + files + " hashes to " + config.digest()
          + ", not the digest its name says");
    }
  }
}
