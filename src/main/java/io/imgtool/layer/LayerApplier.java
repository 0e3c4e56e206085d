package io.imgtool.layer;

import io.imgtool.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Applies layers to a root filesystem the way containerd and umoci do, in one set of rules for
 * the in-memory tree and, when unpacking, the directory on disk ({@link DiskWriter}), which
 * mirrors the tree operation by operation:
 * <ul>
 *   <li>a path is resolved inside the root: a symlink on the way is followed, its target read
 *       from the root when absolute, and {@code ..} stops at the root, so nothing a layer holds
 *       can reach outside it; a name whose own {@code ..} climbs above the root is refused;
 *   <li>a whiteout {@code .wh.NAME} deletes what lower layers put at and below NAME, an opaque
 *       marker hides what they put in its directory; what the same layer wrote stays;
 *   <li>an entry replaces what is at its path, except that a directory over a directory keeps
 *       its contents; a hard link shares the inode of a file this or a lower layer holds.
 * </ul>
 * Symlink targets are data: any target is kept as it is.
 */
final class LayerApplier {
  /** Links followed in one resolution before it is taken for a loop (Linux stops at 40). */
  private static final int MAX_SYMLINKS = 255;

  private final FlatTree tree;
  private final DiskWriter disk;
  private int layer;
  private String layerName;

  /** @param disk the directory to mirror the tree in, or null to build the tree alone */
  LayerApplier(FlatTree tree, DiskWriter disk) {
    this.tree = tree;
    this.disk = disk;
  }

  /**
   * Applies the layer's entries in order; the layer's digests are checked at its end.
   *
   * @return the number of entries
   */
  long apply(VerifiedLayerTar source, int index) throws IOException {
    layer = index;
    layerName = source.digest().toString(); // messages say "layer sha256:…"
    XattrTarInputStream tar = source.tar();
    long entries = 0;
    for (TarArchiveEntry entry = next(tar); entry != null; entry = next(tar)) {
      apply(entry, Xattrs.of(tar.xattrs()), tar);
      entries++;
    }
    source.finish();
    return entries;
  }

  private TarArchiveEntry next(XattrTarInputStream tar) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (TarChecksum.MismatchException e) {
      throw new InvalidLayerException(layerName, e.getMessage(), e);
    }
  }

  private void apply(TarArchiveEntry entry, Xattrs xattrs, InputStream content) throws IOException {
    List<String> components = components(entry.getName());
    if (components.isEmpty()) {
      applyRoot(entry, xattrs);
      return;
    }
    String name = components.get(components.size() - 1);
    List<String> parent = components.subList(0, components.size() - 1);
    if (Whiteout.isMalformed(name)) {
      throw refused(entry, "a malformed whiteout");
    }
    if (name.equals(Whiteout.OPAQUE)) {
      Located dir = directory(parent, null, entry);
      if (dir != null) {
        removeLowerChildren(dir.node(), dir.path());
      }
    } else if (name.startsWith(Whiteout.PREFIX)) {
      Located dir = directory(parent, null, entry);
      if (dir != null) {
        whiteout(dir, name.substring(Whiteout.PREFIX.length()));
      }
    } else {
      Located dir = directory(parent, entry.getLastModifiedTime().toInstant().getEpochSecond(), entry);
      if (entry.isLink()) {
        link(dir, name, entry);
      } else {
        put(dir, name, entry, xattrs, content);
      }
    }
  }

  /** A node with its canonical path. */
  private record Located(FlatTree.Node node, String path) {}

  private void applyRoot(TarArchiveEntry entry, Xattrs xattrs) throws IOException {
    if (entry.isDirectory()) {
      tree.root().entry = TreeEntry.fromTar(entry, TreeEntry.Type.DIR, xattrs);
      if (disk != null) {
        disk.updateDirectory("", tree.root().entry);
      }
    }
  }

  private void put(Located dir, String name, TarArchiveEntry entry, Xattrs xattrs, InputStream content)
      throws IOException {
    String path = join(dir.path(), name);
    TreeEntry.Type type = TreeEntry.typeOf(entry);
    if (type == null) {
      if (disk != null) {
        disk.skip(path, "unsupported tar entry type '" + (char) entry.getLinkFlag() + "'");
      }
      return;
    }
    TreeEntry created = TreeEntry.fromTar(entry, type, xattrs);
    FlatTree.Node existing = dir.node().children.get(name);
    if (existing != null && existing.isDir() && type == TreeEntry.Type.DIR) {
      existing.entry = created; // a directory over a directory keeps its contents
      existing.layer = layer;
      if (disk != null) {
        disk.updateDirectory(path, created);
      }
      return;
    }
    if (existing != null) {
      remove(dir.node(), name, path);
    }
    dir.node().children.put(name, new FlatTree.Node(created, layer));
    if (type == TreeEntry.Type.FILE) {
      created.sha256 = write(path, created, content, entry.isSparse());
    } else if (disk != null && type == TreeEntry.Type.DIR) {
      disk.createDirectory(path, created);
    } else if (disk != null) {
      disk.create(path, created);
    }
  }

  /** Writes a file's content (when unpacking) and returns its sha256, for later diffs. */
  private byte[] write(String path, TreeEntry file, InputStream content, boolean sparse) throws IOException {
    MessageDigest sha256 = Digest.newSha256();
    InputStream hashed = new DigestInputStream(content, sha256);
    if (disk != null) {
      disk.createFile(path, file, hashed, sparse);
    }
    hashed.transferTo(OutputStream.nullOutputStream()); // what the disk did not read
    return sha256.digest();
  }

  private void link(Located dir, String name, TarArchiveEntry entry) throws IOException {
    String path = join(dir.path(), name);
    Located target = follow(components(entry.getLinkName()), entry);
    if (target == null || target.node().isDir()) {
      throw refused(entry, "a hard link to " + entry.getLinkName()
          + ", which is not a file in this layer or a lower one");
    }
    if (target.path().equals(path)) {
      throw refused(entry, "a hard link to itself");
    }
    if (dir.node().children.containsKey(name)) {
      remove(dir.node(), name, path);
    }
    dir.node().children.put(name, new FlatTree.Node(target.node().entry, layer));
    if (disk != null) {
      disk.link(path, target.path());
    }
  }

  private void whiteout(Located dir, String name) throws IOException {
    FlatTree.Node target = dir.node().children.get(name);
    if (target != null && removeLower(target, join(dir.path(), name))) {
      dir.node().children.remove(name);
    }
  }

  /**
   * Removes what lower layers put at and below a node, keeping what this layer wrote (a whiteout
   * applies only to the layers below it). True when nothing of the node is left, and then it is
   * removed from disk whole.
   */
  private boolean removeLower(FlatTree.Node node, String path) throws IOException {
    if (!holdsThisLayer(node)) {
      if (disk != null) {
        disk.remove(path);
      }
      return true;
    }
    removeLowerChildren(node, path);
    return false;
  }

  private void removeLowerChildren(FlatTree.Node dir, String path) throws IOException {
    Iterator<Map.Entry<String, FlatTree.Node>> children = dir.children.entrySet().iterator();
    while (children.hasNext()) {
      Map.Entry<String, FlatTree.Node> child = children.next();
      if (removeLower(child.getValue(), join(path, child.getKey()))) {
        children.remove();
      }
    }
  }

  private boolean holdsThisLayer(FlatTree.Node node) {
    if (node.layer == layer) {
      return true;
    }
    for (FlatTree.Node child : node.children.values()) {
      if (holdsThisLayer(child)) {
        return true;
      }
    }
    return false;
  }

  private void remove(FlatTree.Node dir, String name, String path) throws IOException {
    dir.children.remove(name);
    if (disk != null) {
      disk.remove(path);
    }
  }

  /**
   * The directory that {@code components} name, following symlinks inside the root. A missing
   * directory is made (as {@code mkdir -p} would, with the entry's mtime) when {@code mtime} is
   * given; otherwise a missing or non-directory component means there is no such directory: null.
   */
  private Located directory(List<String> components, Long mtime, TarArchiveEntry entry) throws IOException {
    Deque<String> pending = new ArrayDeque<>(components);
    Deque<Located> stack = new ArrayDeque<>();
    stack.push(new Located(tree.root(), ""));
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.pop();
      Located current = stack.peek();
      if (part.equals("..")) {
        if (stack.size() > 1) {
          stack.pop(); // a symlink's ".." stops at the root
        }
        continue;
      }
      FlatTree.Node child = current.node().children.get(part);
      String path = join(current.path(), part);
      if (child == null) {
        if (mtime == null) {
          return null;
        }
        child = makeDirectory(current.node(), part, path, mtime);
      } else if (child.entry.type == TreeEntry.Type.SYMLINK) {
        if (++links > MAX_SYMLINKS) {
          throw refused(entry, "a path with too many levels of symbolic links");
        }
        followSymlink(child.entry.symlinkTarget, pending, stack);
        continue;
      } else if (!child.isDir()) {
        if (mtime == null) {
          return null;
        }
        throw refused(entry, "a path through " + path + ", which is not a directory");
      }
      stack.push(new Located(child, path));
    }
    return stack.peek();
  }

  /** The node a path names, every symlink on it followed, the last one too; null when missing. */
  private Located follow(List<String> components, TarArchiveEntry entry) throws IOException {
    Deque<String> pending = new ArrayDeque<>(components);
    int links = 0;
    while (true) {
      if (pending.isEmpty()) {
        return null; // the root itself
      }
      List<String> all = new ArrayList<>(pending);
      String last = all.remove(all.size() - 1);
      Located dir = directory(all, null, entry);
      if (dir == null) {
        return null;
      }
      if (last.equals("..") || last.equals(".")) {
        return null; // a directory: never a hard link target
      }
      FlatTree.Node node = dir.node().children.get(last);
      if (node == null || node.entry.type != TreeEntry.Type.SYMLINK) {
        return node == null ? null : new Located(node, join(dir.path(), last));
      }
      if (++links > MAX_SYMLINKS) {
        throw refused(entry, "a path with too many levels of symbolic links");
      }
      pending.clear();
      boolean absolute = node.entry.symlinkTarget.startsWith("/");
      if (!absolute) {
        pending.addAll(List.of(dir.path().isEmpty() ? new String[0] : dir.path().split("/")));
      }
      pending.addAll(LayerPath.components(node.entry.symlinkTarget)); // ".." is resolved on the walk
    }
  }

  private static void followSymlink(String target, Deque<String> pending, Deque<Located> stack) {
    if (target.startsWith("/")) {
      while (stack.size() > 1) {
        stack.pop();
      }
    }
    List<String> parts = LayerPath.components(target); // ".." is resolved on the walk
    for (int i = parts.size() - 1; i >= 0; i--) {
      pending.push(parts.get(i));
    }
  }

  private FlatTree.Node makeDirectory(FlatTree.Node parent, String name, String path, long mtime)
      throws IOException {
    FlatTree.Node made = new FlatTree.Node(TreeEntry.implicitDirectory(mtime), layer);
    parent.children.put(name, made);
    if (disk != null) {
      disk.createDirectory(path, made.entry);
    }
    return made;
  }

  /**
   * The components of an entry name: {@code ./a//b/} is {@code a/b}, a leading slash is dropped
   * (the root is the layer's root), and {@code ..} is resolved, unless it climbs above the root:
   * then the layer would write outside the target, and it is refused, as Docker refuses it.
   */
  private List<String> components(String name) {
    if (name.indexOf('\0') >= 0) {
      throw UnsafeLayerException.refused(name, "NUL in name").inLayer(layerName);
    }
    List<String> result = new ArrayList<>();
    for (String part : LayerPath.components(name)) {
      if (!part.equals("..")) {
        result.add(part);
      } else if (result.isEmpty()) {
        throw UnsafeLayerException.refused(name, "its \"..\" climbs above the root").inLayer(layerName);
      } else {
        result.remove(result.size() - 1);
      }
    }
    return result;
  }

  private InvalidLayerException refused(TarArchiveEntry entry, String reason) {
    return new InvalidLayerException(layerName, entry.getName(), reason);
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
