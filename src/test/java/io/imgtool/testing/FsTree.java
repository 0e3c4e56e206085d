package io.imgtool.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An unpacked root filesystem described independently of imgtool, to compare imgtool's unpack
 * with umoci's, podman's or containerd's. One line per path, root excluded, sorted by path:
 *
 * <pre>etc/a file 0644 0:0 mtime=1700000000 sha256=… xattrs=[user.bin=0xff0080616263] links=[etc/b]</pre>
 *
 * <ul>
 *   <li>the type (file, dir, symlink, char, block, fifo, socket): a layer's entry type decides it;
 *   <li>permission bits 07777 (setuid, setgid and sticky included) and uid:gid, which an unpacker
 *       running as root must apply as the layer says;
 *   <li>mtime in whole seconds from lstat, for symlinks and directories too (an unpacker must
 *       restore a directory's mtime after filling it); tar headers carry no finer time in general;
 *   <li>what the entry holds: the sha256 of a file's content, a symlink's target as written
 *       (never followed), a device's major,minor;
 *   <li>every xattr, security.* and trusted.* included, in hex so that binary values compare
 *       exactly; read with one {@code getfattr -R} for the whole tree because Java cannot read
 *       security.* names;
 *   <li>the hard-link group: the other paths of the tree that share the inode, since a layer's
 *       hard link must come out as one inode, not as a copy.
 * </ul>
 *
 * What a judge legitimately does differently is left out with the {@code ignoring…} methods;
 * {@link #diff} applies what either side ignores.
 */
public final class FsTree {
  private final SortedMap<String, Entry> entries;
  private final Ignored ignored;

  /** One path's facts; {@code content} is the sha256, the symlink target or the device numbers. */
  record Entry(String type, int mode, int uid, int gid, long mtime, String content,
      SortedMap<String, String> xattrs, List<String> links) {}

  /** What lines leave out. */
  private record Ignored(Predicate<String> mtimeOf, boolean directoryMtimes, Set<String> xattrs) {
    static final Ignored NOTHING = new Ignored(path -> false, false, Set.of());

    Ignored and(Ignored other) {
      Set<String> names = new HashSet<>(xattrs);
      names.addAll(other.xattrs);
      return new Ignored(mtimeOf.or(other.mtimeOf), directoryMtimes || other.directoryMtimes, Set.copyOf(names));
    }
  }

  private FsTree(SortedMap<String, Entry> entries, Ignored ignored) {
    this.entries = entries;
    this.ignored = ignored;
  }

  /** Reads the tree under {@code root}; needs getfattr (Debian package attr). */
  public static FsTree of(Path root) throws IOException, InterruptedException {
    Judges.require("getfattr");
    Path base = root.toAbsolutePath().normalize();
    Map<String, SortedMap<String, String>> xattrs = Xattrs.read(base);
    SortedMap<String, Entry> entries = new TreeMap<>();
    Map<String, TreeSet<String>> inodes = new HashMap<>();
    Files.walkFileTree(base, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(base)) {
          record(dir);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        record(file);
        return FileVisitResult.CONTINUE;
      }

      private void record(Path path) throws IOException {
        String rel = base.relativize(path).toString();
        Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode");
        String type = type(mode);
        if (!type.equals("dir") && (Integer) unix.get("nlink") > 1) {
          inodes.computeIfAbsent(unix.get("dev") + ":" + unix.get("ino"), k -> new TreeSet<>()).add(rel);
        }
        entries.put(rel, new Entry(type, mode & 07777, (Integer) unix.get("uid"), (Integer) unix.get("gid"),
            ((FileTime) unix.get("lastModifiedTime")).toInstant().getEpochSecond(),
            content(path, type, (Long) unix.get("rdev")),
            xattrs.getOrDefault(rel, Collections.emptySortedMap()), List.of()));
      }
    });
    return new FsTree(withLinks(entries, inodes), Ignored.NOTHING);
  }

  private static SortedMap<String, Entry> withLinks(SortedMap<String, Entry> entries, Map<String, TreeSet<String>> inodes) {
    for (TreeSet<String> group : inodes.values()) {
      for (String path : group) {
        List<String> others = new ArrayList<>(group);
        others.remove(path);
        Entry e = entries.get(path);
        entries.put(path, new Entry(e.type, e.mode, e.uid, e.gid, e.mtime, e.content, e.xattrs, List.copyOf(others)));
      }
    }
    return entries;
  }

  private static String type(int mode) {
    return switch (mode & 0170000) {
      case 0100000 -> "file";
      case 0040000 -> "dir";
      case 0120000 -> "symlink";
      case 0020000 -> "char";
      case 0060000 -> "block";
      case 0010000 -> "fifo";
      case 0140000 -> "socket";
      default -> "unknown-" + Integer.toOctalString(mode);
    };
  }

  private static String content(Path path, String type, long rdev) throws IOException {
    return switch (type) {
      case "file" -> "sha256=" + sha256(path);
      case "symlink" -> "-> " + Files.readSymbolicLink(path);
      case "char", "block" -> major(rdev) + "," + minor(rdev);
      default -> "";
    };
  }

  /** glibc's gnu_dev_major / gnu_dev_minor. */
  private static long major(long rdev) {
    return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
  }

  private static long minor(long rdev) {
    return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- what a judge legitimately differs on

  /** Leaves out the mtime of the paths {@code path} accepts (e.g. where a judge writes files of its own). */
  public FsTree ignoringMtimeOf(Predicate<String> path) {
    return new FsTree(entries, ignored.and(new Ignored(path, false, Set.of())));
  }

  /** Leaves out directory mtimes, which an unpacker that does not restore them changes by filling them. */
  public FsTree ignoringDirectoryMtimes() {
    return new FsTree(entries, ignored.and(new Ignored(p -> false, true, Set.of())));
  }

  /** Leaves out one xattr (e.g. security.selinux, which a host labels by itself). */
  public FsTree ignoringXattr(String name) {
    return new FsTree(entries, ignored.and(new Ignored(p -> false, false, Set.of(name))));
  }

  // ---- reading and comparing

  public Set<String> paths() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  /** The line of {@code path}, or null when the tree has no such path. */
  public String line(String path) {
    Entry entry = entries.get(path);
    return entry == null ? null : render(path, entry, ignored);
  }

  public List<String> lines() {
    return entries.keySet().stream().map(this::line).toList();
  }

  /**
   * The differing lines, "- " for this tree's and "+ " for {@code other}'s, path by path; empty
   * when the trees are the same up to what either side ignores.
   */
  public List<String> diff(FsTree other) {
    Ignored both = ignored.and(other.ignored);
    TreeSet<String> paths = new TreeSet<>(entries.keySet());
    paths.addAll(other.entries.keySet());
    List<String> differences = new ArrayList<>();
    for (String path : paths) {
      String mine = entries.containsKey(path) ? render(path, entries.get(path), both) : null;
      String theirs = other.entries.containsKey(path) ? render(path, other.entries.get(path), both) : null;
      if (mine != null && mine.equals(theirs)) {
        continue;
      }
      if (mine != null) {
        differences.add("- " + mine);
      }
      if (theirs != null) {
        differences.add("+ " + theirs);
      }
    }
    return differences;
  }

  private static String render(String path, Entry e, Ignored ignored) {
    boolean noMtime = ignored.mtimeOf.test(path) || (ignored.directoryMtimes && e.type.equals("dir"));
    StringBuilder line = new StringBuilder(path).append(' ').append(e.type)
        .append(String.format(" %04o %d:%d", e.mode, e.uid, e.gid))
        .append(" mtime=").append(noMtime ? "*" : String.valueOf(e.mtime));
    if (!e.content.isEmpty()) {
      line.append(' ').append(e.content);
    }
    List<String> xattrs = e.xattrs.entrySet().stream().filter(x -> !ignored.xattrs.contains(x.getKey()))
        .map(x -> x.getKey() + "=" + x.getValue()).toList();
    if (!xattrs.isEmpty()) {
      line.append(" xattrs=").append(xattrs);
    }
    if (!e.links.isEmpty()) {
      line.append(" links=").append(e.links);
    }
    return line.toString();
  }

  @Override
  public String toString() {
    return String.join("\n", lines());
  }

  /** Every xattr of every path under a root, from one {@code getfattr -R} (hex values, symlinks not followed). */
  static final class Xattrs {
    private static final String FILE = "# file: ";

    private Xattrs() {}

    static Map<String, SortedMap<String, String>> read(Path root) throws IOException, InterruptedException {
      byte[] out = Tools.output(Judges.command("getfattr"), "--recursive", "--no-dereference", "--dump",
          "--match=-", "--encoding=hex", "--absolute-names", root.toString());
      return parse(new String(out, StandardCharsets.ISO_8859_1), root);
    }

    /** getfattr prints "# file: PATH" then "name=0xHEX" lines; paths are octal-escaped bytes. */
    static Map<String, SortedMap<String, String>> parse(String latin1, Path root) {
      Map<String, SortedMap<String, String>> byPath = new HashMap<>();
      SortedMap<String, String> current = null;
      for (String line : latin1.split("\n")) {
        if (line.startsWith(FILE)) {
          Path path = Path.of(OctalEscapes.decode(line.substring(FILE.length())));
          current = byPath.computeIfAbsent(root.relativize(path).toString(), k -> new TreeMap<>());
        } else if (!line.isEmpty() && current != null) {
          int eq = line.indexOf('=');
          String name = eq < 0 ? line : line.substring(0, eq);
          current.put(OctalEscapes.decode(name), eq < 0 ? "" : line.substring(eq + 1));
        }
      }
      return byPath;
    }
  }
}
