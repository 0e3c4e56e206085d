package io.imgtool.layer;

import io.imgtool.image.Image;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.VerifyingInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.TreeMap;

/**
 * An image's filesystem in memory: metadata and content hashes, no content. It is the one model
 * of a root filesystem that {@link LayerApplier} applies layers to, whether an unpack writes them
 * to disk as well or not; {@link RootfsDiff} compares a directory with it. Paths in it are
 * canonical: every directory on a path is a real directory, never a symlink.
 */
final class FlatTree {
  /** A directory entry of the tree; {@code layer} is the index of the layer that wrote it. */
  static final class Node {
    TreeEntry entry;
    int layer;
    final TreeMap<String, Node> children = new TreeMap<>();

    Node(TreeEntry entry, int layer) {
      this.entry = entry;
      this.layer = layer;
    }

    boolean isDir() {
      return entry.type == TreeEntry.Type.DIR;
    }
  }

  private final Node root = new Node(TreeEntry.implicitDirectory(0), -1);

  FlatTree() {}

  /** The filesystem of an image, from one streaming pass over its layers, each verified. */
  static FlatTree of(Image image) {
    FlatTree tree = new FlatTree();
    LayerApplier applier = new LayerApplier(tree, null);
    for (int i = 0; i < image.layers().size(); i++) {
      try (VerifiedLayerTar layer = VerifiedLayerTar.open(image, i)) {
        applier.apply(layer, i);
      } catch (VerifyingInputStream.BlobMismatchException e) {
        throw new InvalidImageException(e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read layer " + i + " of image " + image.id() + ": "
            + e.getMessage(), e);
      }
    }
    return tree;
  }

  Node root() {
    return root;
  }

  /** The node at a canonical path ("" is the root), or null. */
  Node find(String path) {
    Node node = root;
    if (path.isEmpty()) {
      return node;
    }
    for (String part : path.split("/")) {
      node = node.children.get(part);
      if (node == null) {
        return null;
      }
    }
    return node;
  }
}
