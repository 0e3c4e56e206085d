package io.imgtool.layer;

import io.imgtool.image.Image;
import io.imgtool.image.VerifyingInputStream;
import io.imgtool.image.InvalidImageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import io.imgtool.image.Digest;

/**
 * An image's filesystem, flattened from its layers in memory: metadata and content hashes, no
 * content. It is what {@link RootfsDiff} compares a directory with, and is built in one streaming
 * pass over the layers, which also verifies each layer's digest and diffID.
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

  private final Node root = new Node(implicitDir(), -1);

  FlatTree() {}

  static FlatTree of(Image image) {
    FlatTree tree = new FlatTree();
    for (int i = 0; i < image.layers().size(); i++) {
      try (VerifiedLayerTar layer = VerifiedLayerTar.open(image, i)) {
        try {
          tree.apply(layer.tar(), i);
        } catch (UnsafeLayerException e) {
          throw e.inLayer(layer.digest().toString());
        }
        layer.finish();
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

  private void apply(TarArchiveInputStream tar, int layer) throws IOException {
    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
      boolean file = !entry.isLink() && TreeEntry.typeOf(entry) == TreeEntry.Type.FILE;
      apply(entry, file ? sha256(tar) : null, layer);
    }
  }

  /**
   * Applies one layer entry, as an unpack would; {@code fileSha256} is the content hash of a
   * regular file (null for anything else), so that a reader of the same stream, such as the
   * unpacker, can build the tree on the way.
   */
  void apply(TarArchiveEntry entry, byte[] fileSha256, int layer) {
    String path = SafeRoot.clean(entry.getName());
    if (path.isEmpty()) {
      return; // the root's own metadata is not part of a changeset
    }
    Node parent = parentOf(path, entry.getName());
    String name = Whiteout.baseName(path);
    if (Whiteout.isOpaque(path)) {
      removeLowerChildren(parent, layer);
    } else if (Whiteout.isWhiteout(path)) {
      Node target = parent.children.get(name.substring(Whiteout.PREFIX.length()));
      if (target != null && removeLower(target, layer)) {
        parent.children.remove(name.substring(Whiteout.PREFIX.length()));
      }
    } else if (entry.isLink()) {
      Node target = find(SafeRoot.clean(entry.getLinkName()));
      if (target == null || target.isDir()) {
        throw new InvalidImageException("hard link " + path + " points to " + entry.getLinkName()
            + ", which is not a file in the layers below or before it");
      }
      parent.children.put(name, new Node(target.entry, layer));
    } else {
      TreeEntry.Type type = TreeEntry.typeOf(entry);
      if (type != null) {
        TreeEntry treeEntry = TreeEntry.fromTar(entry, type);
        treeEntry.sha256 = fileSha256;
        put(parent, name, treeEntry, layer);
      }
    }
  }

  private static void put(Node parent, String name, TreeEntry entry, int layer) {
    Node existing = parent.children.get(name);
    if (existing != null && existing.isDir() && entry.type == TreeEntry.Type.DIR) {
      existing.entry = entry; // a directory entry over a directory keeps its contents
      existing.layer = layer;
    } else {
      parent.children.put(name, new Node(entry, layer));
    }
  }

  /** The parent directory node of a path, created as in an unpack when a layer omits it. */
  private Node parentOf(String path, String entryName) {
    Node node = root;
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      Node child = node.children.get(parts[i]);
      if (child == null) {
        child = new Node(implicitDir(), -1);
        node.children.put(parts[i], child);
      } else if (!child.isDir()) {
        throw UnsafeLayerException.refused(entryName, "its parent " + parts[i] + " is not a directory");
      }
      node = child;
    }
    return node;
  }

  Node find(String path) {
    Node node = root;
    for (String part : path.split("/")) {
      node = node.children.get(part);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /**
   * Removes what lower layers put at and below a node, keeping what this layer wrote (a whiteout
   * applies only to the layers below it). True when nothing of the node is left.
   */
  private static boolean removeLower(Node node, int layer) {
    removeLowerChildren(node, layer);
    return node.layer != layer && node.children.isEmpty();
  }

  private static void removeLowerChildren(Node dir, int layer) {
    Iterator<Map.Entry<String, Node>> children = dir.children.entrySet().iterator();
    while (children.hasNext()) {
      if (removeLower(children.next().getValue(), layer)) {
        children.remove();
      }
    }
  }

  private static TreeEntry implicitDir() {
    return new TreeEntry(TreeEntry.Type.DIR, 0755, 0, 0, 0, 0, null, 0, 0, Map.of());
  }

  private static byte[] sha256(InputStream content) throws IOException {
    MessageDigest digest = Digest.newSha256();
    byte[] buffer = new byte[1 << 16];
    for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
      digest.update(buffer, 0, n);
    }
    return digest.digest();
  }
}
