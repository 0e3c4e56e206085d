package io.imgtool.layer;

import io.imgtool.image.Image;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import io.imgtool.image.Digest;

/**
 * The difference between a directory and an image's filesystem, as the smallest OCI changeset
 * that turns the image into the directory: added and changed objects, one whiteout per deleted
 * path (an opaque marker where that is smaller), type changes, hard links kept as links.
 *
 * <p>Metadata is compared first; a regular file whose type, mode, owner, mtime and size all
 * match is compared by the sha256 of its content against the hash taken while the base layers
 * streamed, so an edit that kept size and mtime is still found.
 */
public final class RootfsDiff {
  /** Below this many deleted names in a directory, whiteouts are smaller than an opaque marker. */
  private static final int OPAQUE_MIN_DELETIONS = 2;

  private final List<PlannedEntry> plan = new ArrayList<>();
  private final List<String> deletions = new ArrayList<>();
  private final List<Change> changes;
  /** The files known to be as unpack wrote them, or null. */
  private final UnpackRecord unpacked;
  /** The user's uid when not root (owners on disk then mean nothing), else -1. */
  private final long rootlessUid;
  /** Whether {@link Posix} loaded: without it, what java.nio cannot see says nothing. */
  private final boolean nativeCalls = Posix.available();

  private RootfsDiff(FlatTree base, Path dir, UnpackRecord unpacked) throws IOException {
    this.unpacked = unpacked;
    long uid = currentUid();
    this.rootlessUid = uid == 0 ? -1 : uid;
    Path root = dir.toRealPath();
    walk("", root, base.root());
    compareContents();
    HardLinks.plan(plan);
    emitParents();
    plan.removeIf(entry -> !entry.emit);
    this.changes = listChanges();
  }

  /**
   * Every directory on the way to a change is written too, as Docker's overlay2 layers hold the
   * directories copy-up made: an applier that unpacks each layer into a directory of its own
   * (containers/storage, as podman and buildah pull) would otherwise make them anew, with the
   * time of the pull as their mtime and its defaults as their mode and owner.
   */
  private void emitParents() {
    Map<String, PlannedEntry> directories = new HashMap<>();
    for (PlannedEntry entry : plan) {
      if (entry.kind == PlannedEntry.Kind.OBJECT && entry.entry.type == TreeEntry.Type.DIR) {
        directories.put(entry.path, entry);
      }
    }
    for (PlannedEntry entry : plan) {
      if (!entry.emit) {
        continue;
      }
      String parent = entry.kind == PlannedEntry.Kind.OPAQUE ? entry.path : LayerPath.parent(entry.path);
      for (; !parent.isEmpty(); parent = LayerPath.parent(parent)) {
        PlannedEntry directory = directories.get(parent);
        if (directory == null || directory.emit) {
          break; // emitted already, and so are its own parents
        }
        directory.emit = true;
      }
    }
  }

  /**
   * Compares {@code dir} with the filesystem of {@code base}, reading base's layers once; a null
   * base is scratch, the empty filesystem.
   */
  public static RootfsDiff of(Image base, Path dir) {
    return of(base, dir, null);
  }

  /**
   * As {@link #of(Image, Path)}, taking the base's filesystem from {@code cache} when it has it,
   * and not reading the files it knows are as {@code unpack} wrote them.
   */
  public static RootfsDiff of(Image base, Path dir, DiffCache cache) {
    FlatTree tree = base == null ? new FlatTree() : cache == null ? FlatTree.of(base) : cache.of(base);
    UnpackRecord unpacked = base == null || cache == null ? null : cache.unpackRecord(base, dir);
    try {
      return new RootfsDiff(tree, dir, unpacked);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compare " + dir + " with " + (base == null ? "scratch" : "image " + base.id()) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * What this process could not have set says nothing on disk. Without root, every file the user
   * unpacked or made is theirs and no other owner can be set (umoci's rootless mode reads owners
   * the same way): a path keeps the base's owner, and a new one belongs to the container's root.
   * Likewise the xattrs only a privileged process may set (file capabilities, trusted.*), and,
   * without the native calls, the xattrs java.nio cannot read and a symlink's mtime: a path keeps
   * the base's.
   */
  private TreeEntry asThisProcessSeesIt(TreeEntry disk, TreeEntry was) {
    if (rootlessUid < 0 && nativeCalls) {
      return disk;
    }
    long uid = disk.uid;
    long gid = disk.gid;
    if (rootlessUid >= 0 && disk.uid == rootlessUid) {
      uid = was == null ? 0 : was.uid;
      gid = was == null ? 0 : was.gid;
    }
    if (was == null) {
      return disk.with(uid, gid, disk.xattrs);
    }
    Predicate<String> unseen = nativeCalls ? Xattrs::privileged : name -> !name.startsWith("user.");
    TreeEntry seen = disk.with(uid, gid, disk.xattrs.replacing(unseen, was.xattrs));
    boolean unsetMtime = !nativeCalls && disk.type == TreeEntry.Type.SYMLINK && was.type == TreeEntry.Type.SYMLINK;
    return unsetMtime ? seen.withMtime(was.mtime) : seen;
  }

  /**
   * A base object this process could not have made is not deleted by being missing: a device
   * node without root, or without the native calls, a device node or fifo.
   */
  private boolean couldNotHaveMade(TreeEntry was) {
    boolean device = was.type == TreeEntry.Type.CHAR || was.type == TreeEntry.Type.BLOCK;
    return (device && rootlessUid >= 0) || (!nativeCalls && (device || was.type == TreeEntry.Type.FIFO));
  }

  private static long currentUid() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | UnsupportedOperationException e) {
      return 0;
    }
  }

  /** The changes, {@code docker diff} style: parents of changed paths show as changed. */
  public List<Change> changes() {
    return changes;
  }

  public boolean isEmpty() {
    return plan.isEmpty();
  }

  /** Writes the changeset as an uncompressed tar; {@code out} is left open. */
  public void writeTo(OutputStream out) {
    writeTo(out, null);
  }

  /** As {@link #writeTo(OutputStream)}, with mtimes later than {@code clamp} set to it. */
  public void writeTo(OutputStream out, Instant clamp) {
    try {
      ChangesetWriter.write(plan, out, clamp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the changeset: " + e.getMessage(), e);
    }
  }

  private void walk(String rel, Path dir, FlatTree.Node base) throws IOException {
    List<String> names = list(dir);
    Map<String, FlatTree.Node> below = base == null ? Map.of() : base.children;
    List<String> deleted = new ArrayList<>(below.keySet());
    deleted.removeAll(names);
    deleted.removeIf(name -> couldNotHaveMade(below.get(name).entry));
    deleted.forEach(name -> deletions.add(join(rel, name)));
    // A directory whose every old name is gone: one marker hides them all.
    boolean opaque = deleted.size() >= OPAQUE_MIN_DELETIONS && deleted.size() == below.size();
    if (opaque) {
      plan.add(PlannedEntry.opaque(rel));
    } else {
      deleted.forEach(name -> plan.add(PlannedEntry.whiteout(join(rel, name))));
    }
    for (String name : names) {
      Path file = dir.resolve(name);
      TreeEntry disk = TreeEntry.fromDisk(file);
      if (disk == null) {
        continue; // a socket: a layer cannot hold one
      }
      FlatTree.Node node = opaque ? null : below.get(name);
      TreeEntry was = node == null ? null : node.entry;
      TreeEntry entry = asThisProcessSeesIt(disk, was);
      plan.add(PlannedEntry.object(join(rel, name), file, entry, was, was == null || !was.sameMetadata(entry)));
      if (entry.type == TreeEntry.Type.DIR) {
        walk(join(rel, name), file, was != null && was.type == TreeEntry.Type.DIR ? node : null);
      }
    }
  }

  /** Hashes, on all cores, the files whose metadata matches the base's. */
  private void compareContents() {
    plan.parallelStream().filter(PlannedEntry::awaitsContent).forEach(entry -> {
      if (unpacked != null && unpacked.unchanged(entry.path, entry.entry)) {
        entry.entry.sha256 = entry.base.sha256;
        entry.emit = false;
        return;
      }
      try {
        entry.entry.sha256 = sha256(entry.file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + entry.file + ": " + e.getMessage(), e);
      }
      entry.emit = !entry.entry.sameContent(entry.base);
    });
  }

  private List<Change> listChanges() {
    Map<String, Change.Kind> kinds = new TreeMap<>(PathOrder.COMPONENTS);
    deletions.forEach(path -> kinds.put(path, Change.Kind.DELETED));
    for (PlannedEntry entry : plan) {
      if (entry.kind == PlannedEntry.Kind.OBJECT) {
        kinds.put(entry.path, entry.base == null ? Change.Kind.ADDED : Change.Kind.CHANGED);
      }
    }
    for (String path : List.copyOf(kinds.keySet())) {
      for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        kinds.putIfAbsent(path.substring(0, slash), Change.Kind.CHANGED);
      }
    }
    List<Change> result = new ArrayList<>();
    kinds.forEach((path, kind) -> result.add(new Change(kind, path)));
    return Collections.unmodifiableList(result);
  }

  private static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      children.forEach(child -> names.add(child.getFileName().toString()));
    }
    Collections.sort(names);
    return names;
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  private static byte[] sha256(Path file) throws IOException {
    MessageDigest digest = Digest.newSha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }
}
