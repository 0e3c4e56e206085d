package io.imgtool.store;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Index;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The read-modify-write of index.json. The caller holds the store lock, so no other process
 * changes the index or collects garbage in between: a blob is moved in and referenced in one step.
 */
final class IndexUpdate {
  /** Changes to make on the index; may read blobs, hence IOException. */
  @FunctionalInterface
  interface Edit<T> {
    T apply(IndexEditor editor) throws IOException;
  }

  /** For updates that bring no new blobs: everything must already be in the store. */
  static final Function<Digest, Path> NOTHING_STAGED = digest -> null;

  private IndexUpdate() {}

  /**
   * Runs the edit on the current index; when the entries changed, checks that every new entry's
   * image is complete (and every image the edit {@linkplain IndexEditor#completed completed}),
   * moves the staged blobs they need into the store and replaces index.json. On failure the
   * store is left as it was.
   *
   * @param staged where a staged blob is, or null when it is not staged
   */
  static <T> T apply(Layout layout, Function<Digest, Path> staged, Edit<T> edit)
      throws IOException {
    StoreIndex before = StoreIndex.read(layout);
    IndexEditor editor = new IndexEditor(before.entries());
    T result = edit.apply(editor);
    List<Descriptor> after = editor.entries();
    boolean unchanged = sameJson(after, before.entries());
    if (unchanged && editor.completed().isEmpty()) {
      return result;
    }
    // Judged by the whole entry: an entry of a known manifest may bring new annotated blobs.
    Set<String> present = new HashSet<>();
    before.entries().forEach(entry -> present.add(entry.toString()));
    Completeness check = new Completeness(layout, staged);
    for (Descriptor entry : after) {
      boolean completed = editor.completed().contains(entry.digest());
      if (completed || !present.contains(entry.toString())) {
        check.requireImage(entry, completed);
      }
    }
    List<Path> moved = moveIntoStore(layout, check.toMove);
    try {
      if (!unchanged) {
        before.withEntries(after).write(layout);
      }
    } catch (IOException | RuntimeException e) {
      deleteAll(moved);
      throw e;
    }
    return result;
  }

  /** Descriptor.equals tells a size read from JSON from the same size set in code; text does not. */
  private static boolean sameJson(List<Descriptor> a, List<Descriptor> b) {
    return a.stream().map(Descriptor::toString).toList()
        .equals(b.stream().map(Descriptor::toString).toList());
  }

  private static List<Path> moveIntoStore(Layout layout, Map<Digest, Path> toMove) throws IOException {
    List<Path> moved = new ArrayList<>();
    Set<Path> dirs = new HashSet<>();
    try {
      for (Map.Entry<Digest, Path> blob : toMove.entrySet()) {
        Path target = layout.blob(blob.getKey());
        Files.createDirectories(target.getParent());
        Files.move(blob.getValue(), target, StandardCopyOption.ATOMIC_MOVE);
        moved.add(target);
        dirs.add(target.getParent());
      }
      for (Path dir : dirs) {
        DurableFiles.syncDirectory(dir);
      }
      return moved;
    } catch (IOException | RuntimeException e) {
      deleteAll(moved);
      throw e;
    }
  }

  private static void deleteAll(List<Path> paths) throws IOException {
    for (Path path : paths) {
      Files.deleteIfExists(path);
    }
  }

  /** Walks an image's blobs: each must be in the store or staged (then it is to be moved). */
  private static final class Completeness {
    private final Layout layout;
    private final Function<Digest, Path> staged;
    final Map<Digest, Path> toMove = new LinkedHashMap<>();
    private boolean remoteLayers;

    Completeness(Layout layout, Function<Digest, Path> staged) {
      this.layout = layout;
      this.staged = staged;
    }

    /**
     * An index entry: manifest, config and the blobs its annotations name must be here; layers
     * too, unless the entry names the registry repository that holds them
     * ({@link Annotations#SOURCE}), as a lazy base does, and the image is not being completed.
     */
    void requireImage(Descriptor entry, boolean complete) throws IOException {
      remoteLayers = !complete && entry.annotation(Annotations.SOURCE) != null;
      require(entry, "manifest");
    }

    void require(Descriptor blob, String role) throws IOException {
      if (role.equals("manifest")) { // its own manifest, the index it came from: kept beside it
        for (Digest named : Annotations.referencedBlobs(blob)) {
          locate(named, role);
        }
      }
      if (role.equals("layer") && remoteLayers && locateIfPresent(blob.digest()) == null) {
        return;
      }
      Path path = locate(blob.digest(), role);
      long size = Files.size(path);
      if (size != blob.size()) {
        throw new StoreException("cannot store the image: " + role + " " + blob.digest() + " is "
            + size + " bytes but its descriptor says " + blob.size());
      }
      String mediaType = blob.mediaType();
      try {
        if (MediaType.isManifest(mediaType)) {
          Manifest manifest = Manifest.parse(Blobs.read(path, blob.digest(), layout.root().toString()));
          require(manifest.config(), "config");
          for (Descriptor layer : manifest.layers()) {
            require(layer, "layer");
          }
        } else if (MediaType.isIndex(mediaType)) {
          Index index = Index.parse(Blobs.read(path, blob.digest(), layout.root().toString()));
          for (Descriptor child : index.manifests()) {
            require(child, "manifest");
          }
        }
      } catch (InvalidImageException e) {
        throw new StoreException("cannot store the image: " + role + " " + blob.digest()
            + " is invalid: " + e.getMessage(), e);
      }
    }

    private Path locateIfPresent(Digest digest) {
      Path inStore = layout.blob(digest);
      return Files.isRegularFile(inStore) ? inStore : staged.apply(digest);
    }

    private Path locate(Digest digest, String role) {
      Path inStore = layout.blob(digest);
      if (Files.isRegularFile(inStore)) {
        return inStore;
      }
      Path path = staged.apply(digest);
      if (path == null) {
        throw new StoreException("cannot store the image: its " + role + " blob " + digest
            + " is neither written by this command nor in the store (a concurrent rmi or prune"
            + " may have removed it); run the command again");
      }
      toMove.put(digest, path);
      return path;
    }
  }
}
