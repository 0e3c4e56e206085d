package io.imgtool.store;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Creates a store's layout complete, and remembers the parts one staging created so that a
 * command that fails can take them back and leave no store where there was none.
 *
 * <p>oci-layout is what makes a directory an OCI image layout, so it comes last: blobs/sha256 and
 * an empty index.json are in place before it appears (in one step, with its content), and a store
 * is never without index.json, which umoci and skopeo require. A command killed before that step
 * leaves a directory that is not yet a layout, which the next command takes over as empty.
 */
final class LayoutCreation {
  private final Layout layout;
  private final Set<Path> created = new LinkedHashSet<>();

  LayoutCreation(Layout layout) {
    this.layout = layout;
  }

  /**
   * Creates what is missing of the layout: root, blobs/sha256, index.json, then oci-layout. Runs
   * unlocked: oci-layout is the lock. An older imgtool's store without index.json gets one.
   */
  void ensureLayout() throws IOException {
    createDirectories(layout.root());
    if (Files.exists(layout.ociLayout())) {
      if (!Files.exists(layout.index())) { // checked first: creating costs an fsync
        DurableFiles.createExclusively(layout.index(), Layout.EMPTY_INDEX);
      }
      return;
    }
    requireEmpty(layout);
    createDirectories(layout.blobDir("sha256"));
    if (DurableFiles.createExclusively(layout.index(), Layout.EMPTY_INDEX)) {
      created.add(layout.index());
    }
    if (DurableFiles.createExclusively(layout.ociLayout(), Layout.OCI_LAYOUT_CONTENT)) {
      created.add(layout.ociLayout());
    }
  }

  /** Creates blobs/ALGORITHM if missing. Runs under the store lock. */
  void ensureBlobDir(String algorithm) throws IOException {
    createDirectories(layout.blobDir(algorithm));
  }

  boolean createdAnything() {
    return !created.isEmpty();
  }

  /**
   * Removes what this staging created, newest first, as long as the store is still as it made
   * it: empty directories, an empty index.json, no other command's staging. Runs under the store
   * lock.
   */
  void rollback() throws IOException {
    List<Path> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);
    for (Path path : newestFirst) {
      if (path.equals(layout.ociLayout()) && !holdsOnlyNewLayout()) {
        return;
      }
      if (path.equals(layout.index()) && !isEmptyIndex(path)) {
        return;
      }
      try {
        Files.deleteIfExists(path);
      } catch (DirectoryNotEmptyException e) {
        return; // someone else's content: the store is in use, keep it
      }
      created.remove(path);
    }
  }

  private boolean holdsOnlyNewLayout() throws IOException {
    try (Stream<Path> entries = Files.list(layout.root())) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        if (!entry.equals(layout.ociLayout()) && !Layout.isImgtoolEntry(entry) && !isCreationPart(layout, entry)) {
          return false;
        }
      }
      return true;
    }
  }

  /** index.json without images, or blobs/ holding only empty directories: as creation made them. */
  private static boolean isCreationPart(Layout layout, Path entry) throws IOException {
    if (entry.equals(layout.index())) {
      return isEmptyIndex(entry);
    }
    if (entry.equals(layout.blobs()) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> tree = Files.walk(entry)) {
        return tree.allMatch(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
      }
    }
    return false;
  }

  private static boolean isEmptyIndex(Path index) throws IOException {
    try {
      return Arrays.equals(Files.readAllBytes(index), Layout.EMPTY_INDEX);
    } catch (NoSuchFileException e) {
      return true;
    }
  }

  /** Like Files.createDirectories, remembering each directory this call created. */
  private void createDirectories(Path dir) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.push(p);
    }
    for (Path p : missing) {
      try {
        Files.createDirectory(p);
        created.add(p);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(p)) {
          throw new StoreException("cannot create the image store: " + p + " is not a directory");
        }
      }
    }
  }

  /**
   * A directory without oci-layout is usable as a store only when it is empty, or holds what a
   * creation killed before oci-layout leaves. Judged from one listing: a concurrent command may
   * be creating the store, and then oci-layout is in it.
   */
  static void requireEmpty(Layout layout) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (Stream<Path> list = Files.list(layout.root())) {
      for (Path entry : (Iterable<Path>) list::iterator) {
        if (!Layout.isImgtoolEntry(entry) && !isCreationPart(layout, entry)) {
          entries.add(entry);
        }
      }
    }
    if (!entries.isEmpty() && !entries.contains(layout.ociLayout())) {
      throw new StoreException(layout.root() + " is not an OCI image layout (it has no "
          + Layout.OCI_LAYOUT + " file and is not empty); choose an empty or new directory"
          + " for the image store");
    }
  }
}
