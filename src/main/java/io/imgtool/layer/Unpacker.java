package io.imgtool.layer;

import io.imgtool.image.Image;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.VerifyingInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an image's root filesystem into a directory: its layers applied in order by
 * {@link LayerApplier}, the same rules that build the tree a diff compares with, so nothing can
 * land outside the directory. Each layer's digest and diffID are verified while it streams. An
 * unpack that fails takes back what it wrote: a directory it made is removed, one that was empty
 * is emptied.
 */
public final class Unpacker {
  private Unpacker() {}

  /** Unpacks the image into {@code dir}, which must be absent or empty. */
  public static UnpackReport unpack(Image image, Path dir) {
    return unpack(image, dir, null);
  }

  /**
   * As {@link #unpack(Image, Path)}, and keeps in {@code cache} what a later diff of {@code dir}
   * needs: the image's tree, built from the same read of the layers, and the unpack record.
   */
  public static UnpackReport unpack(Image image, Path dir, DiffCache cache) {
    Path created = firstMissing(dir.toAbsolutePath());
    try {
      Path root = prepare(dir);
      try {
        return unpackInto(image, root, dir, cache);
      } catch (IOException | RuntimeException | Error e) {
        takeBack(root, created, e);
        throw e;
      }
    } catch (VerifyingInputStream.BlobMismatchException e) {
      throw new InvalidImageException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack image " + image.id() + " into " + dir + ": "
          + e.getMessage(), e);
    }
  }

  private static UnpackReport unpackInto(Image image, Path root, Path dir, DiffCache cache) throws IOException {
    FlatTree tree = new FlatTree();
    DiskWriter disk = new DiskWriter(root);
    LayerApplier applier = new LayerApplier(tree, disk);
    long entries = 0;
    for (int i = 0; i < image.layers().size(); i++) {
      try (VerifiedLayerTar layer = VerifiedLayerTar.open(image, i)) {
        entries += applier.apply(layer, i);
      }
    }
    disk.finish(tree);
    if (cache != null) {
      cache.keep(image, tree);
      cache.recordUnpack(image, dir);
    }
    return new UnpackReport(image.layers().size(), entries, disk.ownersNotSet, disk.skipped,
        List.copyOf(disk.warnings));
  }

  private static Path prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      if (children.iterator().hasNext()) {
        throw new IllegalArgumentException("cannot unpack into " + dir
            + ": the directory is not empty; give a new or empty directory");
      }
    }
    return dir.toRealPath();
  }

  /** The outermost directory on the way to {@code dir} that does not exist yet, or null. */
  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /**
   * Removes what a failed unpack wrote: the directories it made, or the contents of the empty
   * directory it was given. A failure to do so is kept with the first one.
   */
  private static void takeBack(Path root, Path created, Throwable failure) {
    try {
      if (created != null) {
        DiskWriter.delete(created);
        return;
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
        for (Path child : children) {
          DiskWriter.delete(child);
        }
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
