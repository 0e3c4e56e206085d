package io.imgtool.layer;

import io.imgtool.image.Digest;
import io.imgtool.image.Image;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes a rootfs diff cheap, kept in one directory. Base trees: an image's filesystem as
 * {@link RootfsDiff} compares against it (metadata and content hashes, no content), by image ID;
 * building one reads and hashes every base layer, and an image's filesystem never changes.
 * Unpack records ({@link UnpackRecord}): which files of an unpacked directory are provably as
 * unpack wrote them, so they need not be read again. A missing, unreadable or foreign file is
 * rebuilt or ignored, never trusted.
 */
public final class DiffCache {
  private static final String MAGIC = "imgtool-tree-2";

  private final Path dir;

  public DiffCache(Path dir) {
    this.dir = dir;
  }

  /** Keeps an image's tree that was built elsewhere (by the unpacker, on its one read of the layers). */
  void keep(Image image, FlatTree tree) {
    write(dir.resolve(image.id().hex()), image.id().toString(), tree);
  }

  /** Remembers what {@code unpack} just wrote into {@code target}; best effort. */
  public void recordUnpack(Image image, Path target) {
    UnpackRecord.write(recordFile(target), image.id(), target);
  }

  /** The unpack record of {@code target} for {@code image}, or null. */
  UnpackRecord unpackRecord(Image image, Path target) {
    return UnpackRecord.read(recordFile(target), image.id(), target);
  }

  private Path recordFile(Path target) {
    Path real;
    try {
      real = target.toRealPath();
    } catch (IOException e) {
      real = target.toAbsolutePath().normalize();
    }
    Digest key = Digest.sha256(real.toString().getBytes(StandardCharsets.UTF_8));
    return dir.resolve("unpacked").resolve(key.hex());
  }

  FlatTree of(Image image) {
    Path file = dir.resolve(image.id().hex());
    FlatTree cached = read(file, image.id().toString());
    if (cached != null) {
      return cached;
    }
    FlatTree tree = FlatTree.of(image);
    write(file, image.id().toString(), tree);
    return tree;
  }

  private static FlatTree read(Path file, String id) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (!MAGIC.equals(in.readUTF()) || !id.equals(in.readUTF())) {
        return null;
      }
      List<TreeEntry> entries = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        entries.add(readEntry(in));
      }
      FlatTree tree = new FlatTree();
      readChildren(in, tree.root(), entries);
      return tree;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Temp file and rename: a concurrent reader sees the old file or the whole new one. */
  private static void write(Path file, String id, FlatTree tree) {
    try {
      Files.createDirectories(dir(file));
      Path temp = Files.createTempFile(dir(file), ".tree", ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16))) {
        out.writeUTF(MAGIC);
        out.writeUTF(id);
        // Hard-linked paths share one entry; the table keeps them shared.
        Map<TreeEntry, Integer> index = new IdentityHashMap<>();
        collect(tree.root(), index);
        out.writeInt(index.size());
        for (TreeEntry entry : ordered(index)) {
          writeEntry(out, entry);
        }
        writeChildren(out, tree.root(), index);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // a cache: the next diff builds the tree again
    }
  }

  private static Path dir(Path file) {
    return file.toAbsolutePath().getParent();
  }

  private static void collect(FlatTree.Node node, Map<TreeEntry, Integer> index) {
    for (FlatTree.Node child : node.children.values()) {
      index.putIfAbsent(child.entry, index.size());
      collect(child, index);
    }
  }

  private static List<TreeEntry> ordered(Map<TreeEntry, Integer> index) {
    TreeEntry[] entries = new TreeEntry[index.size()];
    index.forEach((entry, i) -> entries[i] = entry);
    return List.of(entries);
  }

  private static void writeChildren(DataOutputStream out, FlatTree.Node node, Map<TreeEntry, Integer> index)
      throws IOException {
    out.writeInt(node.children.size());
    for (Map.Entry<String, FlatTree.Node> child : node.children.entrySet()) {
      writeString(out, child.getKey());
      out.writeInt(index.get(child.getValue().entry));
      out.writeInt(child.getValue().layer);
      writeChildren(out, child.getValue(), index);
    }
  }

  private static void readChildren(DataInputStream in, FlatTree.Node node, List<TreeEntry> entries)
      throws IOException {
    for (int i = in.readInt(); i > 0; i--) {
      String name = readString(in);
      FlatTree.Node child = new FlatTree.Node(entries.get(in.readInt()), in.readInt());
      node.children.put(name, child);
      readChildren(in, child, entries);
    }
  }

  private static void writeEntry(DataOutputStream out, TreeEntry e) throws IOException {
    out.writeByte(e.type.ordinal());
    out.writeInt(e.mode);
    out.writeLong(e.uid);
    out.writeLong(e.gid);
    out.writeLong(e.mtime);
    out.writeLong(e.size);
    out.writeBoolean(e.symlinkTarget != null);
    if (e.symlinkTarget != null) {
      writeString(out, e.symlinkTarget);
    }
    out.writeInt(e.devMajor);
    out.writeInt(e.devMinor);
    out.writeInt(e.xattrs.size());
    for (Map.Entry<String, byte[]> xattr : e.xattrs.asMap().entrySet()) {
      writeString(out, xattr.getKey());
      out.writeInt(xattr.getValue().length);
      out.write(xattr.getValue());
    }
    out.writeInt(e.sha256 == null ? -1 : e.sha256.length);
    if (e.sha256 != null) {
      out.write(e.sha256);
    }
  }

  private static TreeEntry readEntry(DataInputStream in) throws IOException {
    TreeEntry.Type type = TreeEntry.Type.values()[in.readByte()];
    int mode = in.readInt();
    long uid = in.readLong();
    long gid = in.readLong();
    long mtime = in.readLong();
    long size = in.readLong();
    String symlinkTarget = in.readBoolean() ? readString(in) : null;
    int devMajor = in.readInt();
    int devMinor = in.readInt();
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    for (int i = in.readInt(); i > 0; i--) {
      xattrs.put(readString(in), in.readNBytes(in.readInt()));
    }
    TreeEntry entry = new TreeEntry(type, mode, uid, gid, mtime, size, symlinkTarget, devMajor, devMinor,
        Xattrs.of(xattrs));
    int hashLength = in.readInt();
    if (hashLength >= 0) {
      entry.sha256 = in.readNBytes(hashLength);
    }
    return entry;
  }

  /** Length-prefixed UTF-8: writeUTF stops at 64 KiB, which an xattr value may exceed. */
  static void writeString(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
  }
}
