package io.imgtool.store;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The parts of a store's layout (directories, oci-layout) that one staging created, so that a
 * command that fails can take them back and leave no store where there was none.
 */
final class LayoutCreation {
  private final Layout layout;
  private final Set<Path> created = new LinkedHashSet<>();

  LayoutCreation(Layout layout) {
    this.layout = layout;
  }

  /** Creates what is missing of root and oci-layout. Runs unlocked: oci-layout is the lock. */
  void ensureLayout() throws IOException {
    createDirectories(layout.root());
    if (!Files.exists(layout.ociLayout())) {
      requireEmpty(layout);
      if (DurableFiles.createExclusively(layout.ociLayout(), Layout.OCI_LAYOUT_CONTENT)) {
        created.add(layout.ociLayout());
      }
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
   * it: an empty directory, no index.json, no other command's staging. Runs under the store lock.
   */
  void rollback() throws IOException {
    List<Path> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);
    for (Path path : newestFirst) {
      if (path.equals(layout.ociLayout()) && !holdsOnlyOciLayout()) {
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

  private boolean holdsOnlyOciLayout() throws IOException {
    try (Stream<Path> entries = Files.list(layout.root())) {
      return entries.allMatch(p -> p.equals(layout.ociLayout()) || Layout.isImgtoolEntry(p));
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
   * A directory without oci-layout is usable as a store only when it is empty. Judged from one
   * listing: a concurrent command may be creating the store, and then oci-layout is in it.
   */
  static void requireEmpty(Layout layout) throws IOException {
    List<Path> entries;
    try (Stream<Path> list = Files.list(layout.root())) {
      entries = list.filter(p -> !Layout.isImgtoolEntry(p)).toList();
    }
    if (!entries.isEmpty() && !entries.contains(layout.ociLayout())) {
      throw new StoreException(layout.root() + " is not an OCI image layout (it has no "
          + Layout.OCI_LAYOUT + " file and is not empty); choose an empty or new directory"
          + " for the image store");
    }
  }
}
