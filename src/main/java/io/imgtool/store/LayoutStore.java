package io.imgtool.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.BlobSource;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Index;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;
import io.imgtool.name.InvalidReferenceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The local image store: an OCI image layout directory that skopeo ({@code oci:STORE:NAME}) and
 * umoci ({@code --image STORE:NAME}) read as it is. Names are index entries annotated with the
 * full normalised name; see {@link IndexEditor}. New content arrives through a {@link Staging};
 * reads need no lock because index.json and blobs are only ever replaced atomically.
 */
public final class LayoutStore implements BlobSource {
  private final Layout layout;
  private final Blobs blobs;
  private final Catalog catalog;

  private LayoutStore(Layout layout) {
    this.layout = layout;
    this.blobs = new Blobs(layout);
    this.catalog = new Catalog(blobs);
  }

  /**
   * The store at root, which need not exist yet (the first commit creates it). Creates nothing.
   * Throws StoreException when root exists but is not an OCI layout or an empty directory.
   */
  public static LayoutStore at(Path root) throws IOException {
    Layout layout = new Layout(root);
    if (Files.exists(layout.root())) {
      if (!Files.isDirectory(layout.root())) {
        throw new StoreException(layout.root() + " is not a directory; the image store must be an"
            + " OCI image layout directory");
      }
      if (!Files.exists(layout.ociLayout())) {
        LayoutCreation.requireEmpty(layout);
      }
      if (Files.exists(layout.ociLayout())) {
        checkVersion(layout);
      }
    }
    return new LayoutStore(layout);
  }

  private static void checkVersion(Layout layout) throws IOException {
    String version;
    try {
      ObjectNode json = Json.parseObject(StoreLock.readUnderJvmLock(layout), Layout.OCI_LAYOUT);
      version = Json.text(json, "imageLayoutVersion");
    } catch (java.nio.file.NoSuchFileException e) {
      return; // a new store rolled back by its creator just now: as good as absent
    } catch (InvalidImageException e) {
      throw new StoreException(layout.ociLayout() + " is damaged: " + e.getMessage(), e);
    }
    if (version == null || !version.startsWith("1.")) {
      throw new StoreException(layout.root() + " has imageLayoutVersion " + version
          + "; imgtool reads OCI image layouts of version 1.x");
    }
  }

  public Path root() {
    return layout.root();
  }

  /** A new staging area for a command's blobs; creates the store when it does not exist. */
  public Staging stage() throws IOException {
    return Staging.open(layout);
  }

  /** Edits the names under the store lock. Added images must already be complete in the store. */
  public void updateIndex(Consumer<IndexEditor> edit) throws IOException {
    try (StoreLock lock = StoreLock.acquire(layout)) {
      if (lock == null) {
        throw new StoreException("there is no image store at " + layout.root() + " yet");
      }
      IndexUpdate.apply(layout, IndexUpdate.NOTHING_STAGED, editor -> {
        edit.accept(editor);
        return null;
      });
    }
  }

  /** Points name at the manifest (moving it off any other image). */
  public void tag(ImageReference name, Descriptor manifest) throws IOException {
    updateIndex(editor -> editor.tag(name, manifest));
  }

  /** Every image entry, in index order: one per name, one for each untagged image. */
  public List<StoredImage> images() throws IOException {
    return catalog.images(StoreIndex.read(layout).entries());
  }

  /**
   * The image a user's argument means: a name, {@code name@sha256:<manifest digest>}, an image
   * ID or a unique ID prefix of at least 4 hex digits (with or without {@code sha256:}).
   *
   * @throws ImageNotFoundException when nothing matches
   * @throws AmbiguousImageException when an ID prefix matches several images
   * @throws InvalidReferenceException when the text is neither a valid name nor hex digits
   */
  public StoredImage resolve(String text) throws IOException {
    List<Descriptor> entries = StoreIndex.read(layout).entries();
    // A name is looked up first, as Resolver does; when one matches, only its image is read,
    // not every image in the store.
    Optional<Descriptor> named = Resolver.namedEntry(text, entries);
    if (named.isPresent()) {
      return catalog.image(named.get());
    }
    return Resolver.resolve(text, catalog.images(entries)).image();
  }

  /** The image with exactly this name (a tag, not a digest), reading no other image; empty when none. */
  public Optional<StoredImage> named(ImageReference name) throws IOException {
    Optional<Descriptor> entry = Resolver.namedEntry(name.toString(), StoreIndex.read(layout).entries());
    return entry.isEmpty() ? Optional.empty() : Optional.of(catalog.image(entry.get()));
  }

  /** The index behind an index entry (a multi-platform image), verified. */
  public Index index(Descriptor entry) throws IOException {
    return catalog.index(entry);
  }

  /** The image behind a manifest descriptor; its layers are read from this store. */
  public Image image(Descriptor manifest) throws IOException {
    Manifest parsed = catalog.manifest(manifest);
    ImageConfig config = catalog.config(parsed.config());
    return new Image(parsed, config, this);
  }

  /** Opens a blob; the stream checks digest and size when it reaches the end. */
  @Override
  public InputStream open(Descriptor blob) throws IOException {
    return blobs.open(blob.digest(), blob.size());
  }

  /**
   * The file of a blob the store holds, for copying to a receiver that checks its digest itself,
   * as a registry does on every upload, so that a push does not hash each layer twice.
   */
  @Override
  public Optional<Path> file(Descriptor blob) {
    return blobFile(blob.digest());
  }

  /** As {@link #file(Descriptor)}, by digest. */
  public Optional<Path> blobFile(Digest digest) {
    return blobs.has(digest) ? Optional.of(layout.blob(digest)) : Optional.empty();
  }

  /** Opens a blob; the stream checks the digest when it reaches the end. */
  public InputStream openBlob(Digest digest) throws IOException {
    return blobs.open(digest, -1);
  }

  public boolean hasBlob(Digest digest) {
    return blobs.has(digest);
  }

  public long blobSize(Digest digest) throws IOException {
    return blobs.size(digest);
  }

  /** A small blob (manifest, config), whole and verified. */
  public byte[] readBlob(Digest digest) throws IOException {
    return blobs.read(digest);
  }

  /**
   * {@code rmi}: each argument is removed with Docker's rules (see {@link RemovalEvent}); one
   * that fails is reported and the others still proceed. Then blobs no image uses are deleted.
   */
  public RemovalReport remove(List<String> images, boolean force) throws IOException {
    List<RemovalEvent> events = new ArrayList<>();
    try (StoreLock lock = StoreLock.acquire(layout)) {
      if (lock == null) { // no store: every argument fails as it would in an empty one
        removeEach(images, force, new IndexEditor(List.of()), events);
        return new RemovalReport(events, PruneReport.nothing());
      }
      IndexUpdate.apply(layout, IndexUpdate.NOTHING_STAGED,
          editor -> removeEach(images, force, editor, events));
      return new RemovalReport(events, GarbageCollector.collectBlobs(layout));
    }
  }

  private Void removeEach(List<String> images, boolean force, IndexEditor editor,
      List<RemovalEvent> events) throws IOException {
    for (String text : images) {
      try {
        events.addAll(Removal.remove(text, force, editor, catalog));
      } catch (ImageNotFoundException | AmbiguousImageException | ImageConflictException
          | InvalidReferenceException e) {
        events.add(new RemovalEvent.Failed(text, e));
      }
    }
    return null;
  }

  /**
   * Verifies every blob against its digest and every image's blobs (manifests, configs, layers,
   * nested indexes); with {@code repair}, removes damaged images' entries, corrupt and unused blobs
   * and leftovers of commands that died. Under the store lock.
   */
  public IntegrityReport check(boolean repair) throws IOException {
    return IntegrityCheck.run(layout, repair);
  }

  /** Deletes blobs no image uses and staging directories left by commands that died. */
  public PruneReport prune() throws IOException {
    return prune(Untagged.KEEP);
  }

  /** Which images without a name {@link #prune(Untagged)} removes. */
  public enum Untagged {
    KEEP,
    /** Docker's dangling images: no name, and no registry known to hold them ({@code <none> <none>}). */
    DANGLING,
    /** Every image without a name. */
    ALL
  }

  /**
   * Removes the untagged images asked for, then blobs no image uses and staging directories left by
   * commands that died, under one lock. The reclaimed bytes count what those stagings held.
   */
  public PruneReport prune(Untagged untagged) throws IOException {
    try (StoreLock lock = StoreLock.acquire(layout)) {
      if (lock == null) {
        return PruneReport.nothing();
      }
      List<Digest> images = new ArrayList<>();
      if (untagged != Untagged.KEEP) {
        IndexUpdate.apply(layout, IndexUpdate.NOTHING_STAGED, editor -> removeUntagged(editor, untagged, images));
      }
      GarbageCollector.Abandoned abandoned = GarbageCollector.removeAbandoned(layout);
      PruneReport blobsReport = GarbageCollector.collectBlobs(layout);
      return new PruneReport(blobsReport.deletedBlobs(), blobsReport.reclaimedBytes() + abandoned.bytes(),
          abandoned.stagings(), images);
    }
  }

  private Void removeUntagged(IndexEditor editor, Untagged untagged, List<Digest> images) throws IOException {
    for (Descriptor entry : editor.entries()) {
      boolean named = IndexEditor.nameOf(entry).isPresent();
      boolean dangling = !named && io.imgtool.image.Annotations.repoDigests(entry).isEmpty();
      if (!io.imgtool.image.MediaType.isManifest(entry.mediaType()) || named
          || untagged == Untagged.DANGLING && !dangling) {
        continue;
      }
      Digest id = catalog.image(entry).id();
      if (!images.contains(id)) {
        images.add(id);
      }
      editor.removeUntagged(entry.digest());
    }
    return null;
  }
}
