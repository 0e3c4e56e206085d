package io.imgtool.images;

import io.imgtool.image.Annotations;
import io.imgtool.image.BlobSource;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Image;
import io.imgtool.image.Index;
import io.imgtool.image.MediaType;
import io.imgtool.image.Platform;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.RemoteImages;
import io.imgtool.store.ImageNotFoundException;
import io.imgtool.store.IndexEditor;
import io.imgtool.store.LayoutStore;
import io.imgtool.store.PruneReport;
import io.imgtool.store.RemovalEvent;
import io.imgtool.store.RemovalReport;
import io.imgtool.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The store as users see it: images by name or ID, in their own format; tag, rmi, prune. */
public final class LocalImages {
  private final Workspace workspace;

  public LocalImages(Workspace workspace) {
    this.workspace = workspace;
  }

  /**
   * The image a user's argument means: a name, {@code name@sha256:…} (the store's manifest, the
   * image's own or the index it came from), an image ID or a unique ID prefix.
   */
  public LocalImage resolve(String text) throws IOException {
    return open(workspace.store().resolve(text));
  }

  /** As {@link #resolve(String)}, for work on {@code platform}'s image of a multi-platform one, which it must have. */
  public LocalImage resolve(String text, Platform platform) throws IOException {
    return open(workspace.store().resolve(text), platform, true);
  }

  /** Every entry of the store, one per name and one per untagged image, in index order. */
  public List<LocalImage> list() throws IOException {
    List<LocalImage> images = new ArrayList<>();
    for (StoredImage stored : workspace.store().images()) {
      images.add(open(stored));
    }
    return images;
  }

  /**
   * The entries {@code filter} keeps, in index order. The images {@code before=} and
   * {@code since=} name must exist.
   */
  public List<LocalImage> list(ImageFilter filter) throws IOException {
    Instant notAfter = null;
    for (String text : filter.before()) {
      Instant created = resolve(text).created().orElse(Instant.EPOCH);
      notAfter = notAfter == null || created.isBefore(notAfter) ? created : notAfter;
    }
    Instant notBefore = null;
    for (String text : filter.since()) {
      Instant created = resolve(text).created().orElse(Instant.EPOCH);
      notBefore = notBefore == null || created.isAfter(notBefore) ? created : notBefore;
    }
    List<LocalImage> kept = new ArrayList<>();
    for (LocalImage image : list()) {
      if (filter.matches(image, notAfter, notBefore)) {
        kept.add(image);
      }
    }
    return kept;
  }

  /** The image the argument means, or empty when the store has none by that name or ID. */
  public Optional<LocalImage> find(String text) throws IOException {
    try {
      return Optional.of(resolve(text));
    } catch (ImageNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * What the image is known by, from every entry of it: its names (Docker's RepoTags) and where
   * registries hold it (RepoDigests).
   */
  public KnownAs knownAs(LocalImage image) throws IOException {
    List<ImageReference> names = new ArrayList<>();
    Set<String> digests = new LinkedHashSet<>();
    for (StoredImage stored : workspace.store().images()) {
      if (stored.manifest().digest().equals(image.entry().digest())) {
        stored.name().filter(n -> !names.contains(n)).ifPresent(names::add);
        digests.addAll(Annotations.repoDigests(stored.manifest()));
      }
    }
    return new KnownAs(names, List.copyOf(digests));
  }

  /** @param repoDigests {@code host/repo@sha256:…}, as recorded */
  public record KnownAs(List<ImageReference> names, List<String> repoDigests) {}

  /** Gives the image {@code source} names each {@code target} name, as docker tag does. */
  public void tag(String source, List<ImageReference> targets) throws IOException {
    for (ImageReference target : targets) {
      if (target.digest() != null) {
        throw new InvalidRequestException("refusing to create a tag with a digest reference: " + target);
      }
    }
    StoredImage image = workspace.store().resolve(source);
    List<IndexEditor.Moved> moved = new ArrayList<>();
    workspace.store().updateIndex(editor -> {
      targets.forEach(target -> editor.tag(target, image.manifest()));
      moved.addAll(editor.leftWithoutName());
    });
    reportMoved(workspace, moved);
  }

  /** Tells the user which images a new name left without one: they show as {@code <none>} now. */
  static void reportMoved(Workspace workspace, List<IndexEditor.Moved> moved) {
    for (IndexEditor.Moved name : moved) {
      try {
        workspace.events().untagged(name.name(), workspace.store().image(name.formerManifest()).id());
      } catch (IOException | RuntimeException e) {
        // only a note: the command itself has succeeded
      }
    }
  }

  /** rmi: every argument is tried, as Docker does; the lines say what happened to each. */
  public List<Removal> remove(List<String> images, boolean force) throws IOException {
    RemovalReport report = workspace.store().remove(images, force);
    List<Removal> lines = new ArrayList<>();
    for (RemovalEvent event : report.events()) {
      lines.add(new Removal(event.toString(), event instanceof RemovalEvent.Failed));
    }
    return lines;
  }

  /**
   * {@code docker image prune}: deletes dangling images (no name, no registry known to hold them),
   * or with {@code all} every image without a name, then blobs no image uses and leftovers of
   * commands that died. An image with a name is always kept: there are no containers to say
   * which images are in use.
   */
  public Pruned prune(boolean all) throws IOException {
    PruneReport report = workspace.store().prune(all ? LayoutStore.Untagged.ALL : LayoutStore.Untagged.DANGLING);
    return new Pruned(report.deletedImages(), report.deletedBlobs(), report.reclaimedBytes());
  }

  /**
   * A multi-platform image whole: its index as it is known (its own bytes), the store's OCI form
   * of it, and every image it lists, each in its own format, blobs from the store.
   */
  public record WholeIndex(Index own, Index oci, List<Image> images) {}

  WholeIndex whole(LocalImage image) throws IOException {
    LayoutStore store = workspace.store();
    Index oci = store.index(image.entry());
    Optional<Digest> ownDigest = Annotations.digest(image.entry(), Annotations.MANIFEST);
    Index own = ownDigest.isPresent() ? Index.parse(store.readBlob(ownDigest.get())) : oci;
    List<Image> images = new ArrayList<>();
    for (Descriptor child : oci.manifests()) {
      Image stored = store.image(child);
      images.add(new Image(ownManifest(store, child, stored.manifest()), stored.config(), image.image().blobs()));
    }
    return new WholeIndex(own, oci, images);
  }

  /** One line of rmi's report: {@code Untagged: …}, {@code Deleted: …}, or an error. */
  public record Removal(String line, boolean failed) {}

  /** @param deletedImages the IDs of the images removed */
  public record Pruned(List<Digest> deletedImages, List<Digest> deletedBlobs, long reclaimedBytes) {}

  /** The entry's image; of a multi-platform image, this machine's platform's, else its first. */
  LocalImage open(StoredImage stored) throws IOException {
    return open(stored, Platform.host(), false);
  }

  /**
   * The entry's image; of a multi-platform image, the platform's. When it has none, that is an
   * error if {@code required}, else its first platform's is shown (listing never fails on it).
   */
  LocalImage open(StoredImage stored, Platform platform, boolean required) throws IOException {
    LayoutStore store = workspace.store();
    Descriptor entry = stored.manifest();
    List<String> platforms = List.of();
    Descriptor manifest = entry;
    if (MediaType.isIndex(entry.mediaType())) {
      Index index = store.index(entry);
      platforms = index.platforms();
      Optional<Descriptor> chosen = index.manifestFor(platform);
      if (chosen.isEmpty() && (required || index.platforms().isEmpty())) {
        throw new InvalidRequestException("no image for platform " + platform + " in "
            + stored.name().map(ImageReference::familiar).orElse(entry.digest().toString()) + "; it has "
            + String.join(", ", index.platforms()) + " (choose one with --platform)");
      }
      manifest = chosen.orElseGet(() -> index.manifestFor(Platform.parse(index.platforms().get(0))).orElseThrow());
    }
    Image oci = store.image(manifest);
    Manifest own = ownManifest(store, manifest, oci.manifest());
    List<Digest> missing = new ArrayList<>();
    for (Descriptor layer : own.layers()) {
      if (!store.hasBlob(layer.digest())) {
        missing.add(layer.digest());
      }
    }
    Optional<ImageReference> source = Optional.ofNullable(entry.annotation(Annotations.SOURCE))
        .map(ImageReference::parse);
    BlobSource blobs = source.isEmpty() ? store : new StoreThenRegistry(store, workspace, source.get());
    return new LocalImage(entry, stored.name(), new Image(own, oci.config(), blobs), missing,
        stored.created(), stored.size(), platforms);
  }

  /**
   * The manifest the image is known by: the exact bytes its annotation names (a Docker manifest
   * as pulled or committed), else the store's OCI manifest; an image stored by an older imgtool
   * with only a Docker format mark gets the Docker form imgtool always wrote for it.
   */
  static Manifest ownManifest(LayoutStore store, Descriptor entry, Manifest oci) throws IOException {
    Optional<Digest> original = Annotations.digest(entry, Annotations.MANIFEST);
    if (original.isPresent()) {
      return Manifest.parse(store.readBlob(original.get()));
    }
    if ("docker".equals(entry.annotation(Annotations.FORMAT))) {
      return FormatConversion.manifest(oci, Format.DOCKER);
    }
    return oci;
  }

  /** Opens a layer from the store when it is there, else from the source repository. */
  private record StoreThenRegistry(LayoutStore store, Workspace workspace, ImageReference source)
      implements BlobSource {
    @Override
    public InputStream open(Descriptor blob) throws IOException {
      if (store.hasBlob(blob.digest())) {
        return store.open(blob);
      }
      return new RemoteImages(workspace.registries()).openBlob(source, blob);
    }

    @Override
    public Optional<Path> file(Descriptor blob) {
      return store.file(blob);
    }
  }
}
