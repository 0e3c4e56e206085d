package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imgtool.image.Image;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of edits: for each, the base is unpacked, edited, diffed, and base + the new layer
 * is applied by umoci; the tree umoci makes must equal the edited one, and the changeset must be
 * the minimal one.
 */
class RootfsDiffTest {
  @TempDir Path tmp;

  interface Edit {
    void apply(Path root) throws Exception;
  }

  static Image base(TestLayout layout) {
    byte[] lower = new TestLayer()
        .dir("etc").file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        .file("etc/hostname", "base\n").file("etc/motd", "hello\n")
        .dir("bin").file("bin/tool", "#!tool\n", 04755, 0, 0).symlink("bin/link", "tool")
        .dir("usr").dir("usr/share").dir("usr/share/doc")
        .file("usr/share/doc/a.txt", "a").file("usr/share/doc/b.txt", "b").file("usr/share/doc/c.txt", "c")
        .dir("var").dir("var/tmp", 01777, 0, 0)
        .dir("home").dir("home/user", 0700, 1000, 1000)
        .file("home/user/notes.txt", "notes", 0600, 1000, 1000)
        .dir("data").file("data/x", "one inode\n").hardLink("data/y", "data/x")
        .dir("srv").dir("srv/old").file("srv/old/f1", "1").file("srv/old/f2", "2")
        .dir("shared", 02775, 0, 50)
        .bytes();
    byte[] upper = new TestLayer()
        .file("etc/motd", "hello again\n")
        .file("usr/share/doc/.wh.c.txt", "")
        .file("srv/old/.wh..wh..opq", "").file("srv/old/f3", "3")
        .bytes();
    return layout.image("base", List.of(layout.layer(lower), layout.layer(upper)));
  }

  static Stream<Arguments> edits() {
    return Stream.of(
        edit("unchanged tree", root -> { },
            List.of(), List.of()),
        edit("add a file", root -> write(root, "etc/new.conf", "new"),
            List.of("C /etc", "A /etc/new.conf"), List.of("etc/", "etc/new.conf")),
        edit("change content keeping size and mtime", root -> {
          Path file = root.resolve("etc/hostname");
          FileTime mtime = Files.getLastModifiedTime(file);
          Files.writeString(file, "edit\n");
          Files.setLastModifiedTime(file, mtime);
        }, List.of("C /etc", "C /etc/hostname"), List.of("etc/", "etc/hostname")),
        edit("change only the mode", root -> chmod(root.resolve("etc/motd"), 0600),
            List.of("C /etc", "C /etc/motd"), List.of("etc/", "etc/motd")),
        edit("change only the owner", root -> chown(root.resolve("etc/motd"), 1234, 1234),
            List.of("C /etc", "C /etc/motd"), List.of("etc/", "etc/motd")),
        edit("change only the mtime", root -> Files.setLastModifiedTime(root.resolve("etc/passwd"),
            FileTime.fromMillis(1_600_000_000_000L)),
            List.of("C /etc", "C /etc/passwd"), List.of("etc/", "etc/passwd")),
        edit("delete a file", root -> Files.delete(root.resolve("etc/motd")),
            List.of("C /etc", "D /etc/motd"), List.of("etc/", "etc/.wh.motd")),
        edit("delete a directory", root -> deleteTree(root.resolve("usr/share/doc")),
            List.of("C /usr", "C /usr/share", "D /usr/share/doc"),
            List.of("usr/", "usr/share/", "usr/share/.wh.doc")),
        edit("file becomes a directory", root -> {
          Files.delete(root.resolve("etc/motd"));
          Files.createDirectory(root.resolve("etc/motd"));
          write(root, "etc/motd/part", "part");
        }, List.of("C /etc", "C /etc/motd", "A /etc/motd/part"),
            List.of("etc/", "etc/motd/", "etc/motd/part")),
        edit("directory becomes a file", root -> {
          deleteTree(root.resolve("srv/old"));
          write(root, "srv/old", "now a file");
        }, List.of("C /srv", "C /srv/old"), List.of("srv/", "srv/old")),
        edit("directory becomes a symlink", root -> {
          deleteTree(root.resolve("usr/share/doc"));
          Files.createSymbolicLink(root.resolve("usr/share/doc"), Path.of("../doc"));
        }, List.of("C /usr", "C /usr/share", "C /usr/share/doc"),
            List.of("usr/", "usr/share/", "usr/share/doc")),
        edit("symlink retarget", root -> {
          Files.delete(root.resolve("bin/link"));
          Files.createSymbolicLink(root.resolve("bin/link"), Path.of("/bin/other"));
        }, List.of("C /bin", "C /bin/link"), List.of("bin/", "bin/link")),
        edit("new hard-link pair", root -> {
          write(root, "etc/h1", "linked");
          Files.createLink(root.resolve("etc/h2"), root.resolve("etc/h1"));
        }, List.of("C /etc", "A /etc/h1", "A /etc/h2"), List.of("etc/", "etc/h1", "etc/h2 -> etc/h1")),
        // A link may point only into its own layer (overlayfs appliers), so the base file is written too.
        edit("hard link to a base file", root ->
            Files.createLink(root.resolve("etc/passwd.lnk"), root.resolve("etc/passwd")),
            List.of("C /etc", "C /etc/passwd", "A /etc/passwd.lnk"),
            List.of("etc/", "etc/passwd", "etc/passwd.lnk -> etc/passwd")),
        edit("hard link to a base file, sorting before it", root ->
            Files.createLink(root.resolve("etc/a-passwd"), root.resolve("etc/passwd")),
            List.of("C /etc", "A /etc/a-passwd", "C /etc/passwd"),
            List.of("etc/", "etc/a-passwd", "etc/passwd -> etc/a-passwd")),
        edit("base hard link broken by an identical copy", root -> {
          Path y = root.resolve("data/y");
          FileTime mtime = Files.getLastModifiedTime(y);
          Files.delete(y);
          write(root, "data/y", "one inode\n");
          Files.setLastModifiedTime(y, mtime);
        }, List.of("C /data", "C /data/y"), List.of("data/", "data/y")),
        edit("names with spaces and non-ASCII", root -> {
          write(root, "etc/with space.txt", "s");
          write(root, "etc/ünïcødé 文件", "u");
        }, List.of("C /etc", "A /etc/with space.txt", "A /etc/ünïcødé 文件"),
            List.of("etc/", "etc/with space.txt", "etc/ünïcødé 文件")),
        edit("paths longer than 100 bytes", root -> {
          String a = "a".repeat(60);
          String b = "b".repeat(60);
          Files.createDirectories(root.resolve("var/" + a + "/" + b));
          write(root, "var/" + a + "/" + b + "/" + "c".repeat(90), "deep");
        }, List.of("C /var", "A /var/" + "a".repeat(60), "A /var/" + "a".repeat(60) + "/" + "b".repeat(60),
            "A /var/" + "a".repeat(60) + "/" + "b".repeat(60) + "/" + "c".repeat(90)),
            List.of("var/", "var/" + "a".repeat(60) + "/", "var/" + "a".repeat(60) + "/" + "b".repeat(60) + "/",
                "var/" + "a".repeat(60) + "/" + "b".repeat(60) + "/" + "c".repeat(90))),
        edit("empty directories", root -> {
          Files.createDirectories(root.resolve("var/empty/deeper"));
        }, List.of("C /var", "A /var/empty", "A /var/empty/deeper"),
            List.of("var/", "var/empty/", "var/empty/deeper/")),
        edit("directory deleted and re-created", root -> {
          deleteTree(root.resolve("usr/share/doc"));
          Files.createDirectory(root.resolve("usr/share/doc"));
          write(root, "usr/share/doc/new.txt", "new");
        }, List.of("C /usr", "C /usr/share", "C /usr/share/doc", "D /usr/share/doc/a.txt",
            "D /usr/share/doc/b.txt", "A /usr/share/doc/new.txt"),
            List.of("usr/", "usr/share/", "usr/share/doc/", "usr/share/doc/.wh..wh..opq", "usr/share/doc/new.txt")),
        edit("setuid, setgid and sticky bits", root -> {
          chmod(root.resolve("bin/tool"), 02755);
          chmod(root.resolve("var/tmp"), 0777);
          Files.createDirectory(root.resolve("shared/drop"));
          chmod(root.resolve("shared/drop"), 03777);
        }, List.of("C /bin", "C /bin/tool", "C /shared", "A /shared/drop", "C /var", "C /var/tmp"),
            List.of("bin/", "bin/tool", "shared/", "shared/drop/", "var/", "var/tmp/")),
        edit("owner of a directory", root -> chown(root.resolve("home/user"), 0, 0),
            List.of("C /home", "C /home/user"), List.of("home/", "home/user/")),
        edit("user xattr", root -> {
          UserDefinedFileAttributeView view = Files.getFileAttributeView(root.resolve("etc/passwd"),
              UserDefinedFileAttributeView.class);
          view.write("note", ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)));
        }, List.of("C /etc", "C /etc/passwd"), List.of("etc/", "etc/passwd")),
        edit("binary user xattr", root -> Posix.setXattr(root.resolve("etc/passwd"), "user.bin",
            new byte[] {(byte) 0xff, 0, (byte) 0x80, 'a', 'b', 'c'}),
            List.of("C /etc", "C /etc/passwd"), List.of("etc/", "etc/passwd")),
        edit("file capability, as setcap sets it", root -> run("setcap", "cap_net_raw=+ep",
            root.resolve("bin/tool").toString()),
            List.of("C /bin", "C /bin/tool"), List.of("bin/", "bin/tool")),
        edit("device node and fifo", root -> {
          run("mknod", root.resolve("etc/null").toString(), "c", "1", "3");
          run("mkfifo", root.resolve("etc/pipe").toString());
        }, List.of("C /etc", "A /etc/null", "A /etc/pipe"), List.of("etc/", "etc/null", "etc/pipe")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void umociReproducesTheEditedTree(String name, Edit edit, List<String> changes, List<String> entries)
      throws Exception {
    TestLayout layout = new TestLayout(tmp.resolve("layout"));
    Image base = base(layout);
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(base, dir);
    edit.apply(dir);

    RootfsDiff diff = RootfsDiff.of(base, dir);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    diff.writeTo(tar);
    layout.append(base, "next", tar.toByteArray());
    Path applied = layout.umociUnpack("next", tmp.resolve("bundle"));

    assertEquals(TreeSnapshot.of(dir), TreeSnapshot.of(applied));
    assertEquals(changes, diff.changes().stream().map(Change::toString).toList());
    assertEquals(entries, entryNames(tar.toByteArray()));
    assertEquals(entries.isEmpty(), diff.isEmpty());
  }

  static List<String> entryNames(byte[] tar) throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.isLink() ? e.getName() + " -> " + e.getLinkName() : e.getName());
      }
    }
    return names;
  }

  private static Arguments edit(String name, Edit edit, List<String> changes, List<String> entries) {
    return Arguments.of(name, edit, changes, entries);
  }

  static void write(Path root, String rel, String content) throws IOException {
    Files.writeString(root.resolve(rel), content);
  }

  static void chmod(Path path, int mode) throws IOException {
    Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
  }

  static void chown(Path path, int uid, int gid) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }

  static void deleteTree(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertEquals(0, process.waitFor(), String.join(" ", command));
  }
}
