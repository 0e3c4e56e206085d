package io.imgtool.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsTreeTest {
  private static final String HELLO_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

  @TempDir Path root;

  @BeforeEach
  void tree() throws Exception {
    Judges.require("getfattr", "mkfifo");
    Path dir = Files.createDirectory(root.resolve("d"));
    Path file = Files.writeString(dir.resolve("f"), "hello\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    Files.getFileAttributeView(file, UserDefinedFileAttributeView.class)
        .write("bin", ByteBuffer.wrap(new byte[] {(byte) 0xff, 0, (byte) 0x80, 'a', 'b', 'c'}));
    Files.createLink(dir.resolve("g"), file);
    Path link = Files.createSymbolicLink(root.resolve("up"), Path.of("../../../etc/passwd"));
    Tools.run("mkfifo", root.resolve("pipe").toString()).orFail();
    // touch -h, not Java: Java opens the path to set its times, which blocks on a fifo.
    for (Path p : List.of(file, link, root.resolve("pipe"), dir)) {
      Tools.run("touch", "-h", "-d", "@1700000000", p.toString()).orFail();
    }
  }

  @Test
  void aFileLineHasModeOwnerMtimeContentBinaryXattrsAndItsHardLinks() throws Exception {
    FsTree tree = FsTree.of(root);
    String owner = Files.getAttribute(root, "unix:uid") + ":" + Files.getAttribute(root, "unix:gid");
    assertEquals("d/f file 0640 " + owner + " mtime=1700000000 sha256=" + HELLO_SHA256
        + " xattrs=[user.bin=0xff0080616263] links=[d/g]", tree.line("d/f"));
    assertTrue(tree.line("d/g").endsWith("links=[d/f]"), tree.line("d/g"));
  }

  @Test
  void symlinksAreNotFollowedAndTheRootIsLeftOut() throws Exception {
    FsTree tree = FsTree.of(root);
    assertEquals(List.of("d", "d/f", "d/g", "pipe", "up"), List.copyOf(tree.paths()));
    assertTrue(tree.line("up").matches("up symlink 0777 \\d+:\\d+ mtime=1700000000 -> \\.\\./\\.\\./\\.\\./etc/passwd"),
        tree.line("up"));
    assertTrue(tree.line("pipe").startsWith("pipe fifo "), tree.line("pipe"));
    assertTrue(tree.line("d").startsWith("d dir 0755 "), tree.line("d"));
    assertNull(tree.line("nothing"));
  }

  @Test
  void diffNamesEachDifferingPathOnBothSidesAndIgnoringRemovesTheDifference() throws Exception {
    FsTree before = FsTree.of(root);
    Files.setLastModifiedTime(root.resolve("d/f"), FileTime.fromMillis(1_600_000_000_000L));
    Files.getFileAttributeView(root.resolve("d/f"), UserDefinedFileAttributeView.class).delete("bin");
    Files.writeString(root.resolve("new"), "x");
    FsTree after = FsTree.of(root);

    List<String> diff = before.diff(after);
    // d/g shares d/f's inode, so it changed too; the root's own mtime is not compared.
    assertEquals(5, diff.size(), String.join("\n", diff));
    assertTrue(diff.get(0).startsWith("- d/f file ") && diff.get(1).startsWith("+ d/f file "), diff.toString());
    assertTrue(diff.get(4).startsWith("+ new file "), diff.toString());
    assertTrue(before.ignoringMtimeOf(p -> p.startsWith("d/")).ignoringXattr("user.bin")
        .diff(after).stream().allMatch(line -> line.startsWith("+ new file ")), "only the new file is left");
    assertFalse(before.diff(FsTree.of(root).ignoringDirectoryMtimes()).isEmpty());
    assertEquals(List.of(), after.diff(FsTree.of(root)));
  }

  @Test
  void directoryMtimesCanBeLeftOut() throws Exception {
    FsTree before = FsTree.of(root);
    Files.setLastModifiedTime(root.resolve("d"), FileTime.fromMillis(1_600_000_000_000L));
    assertEquals(2, before.diff(FsTree.of(root)).size());
    assertEquals(List.of(), before.ignoringDirectoryMtimes().diff(FsTree.of(root)));
  }

  @Test
  void getfattrOutputWithOctalEscapedPathsIsParsed() {
    String out = "# file: /r/a\\040b/x\\012y\nuser.t=0x31\nsecurity.capability=0x0100\n\n# file: /r/\303\274\nuser.e=0x\n\n";
    Map<String, SortedMap<String, String>> parsed = FsTree.Xattrs.parse(out, Path.of("/r"));
    assertEquals(Map.of("user.t", "0x31", "security.capability", "0x0100"), parsed.get("a b/x\ny"));
    assertEquals(Map.of("user.e", "0x"), parsed.get(new String("ü".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
  }
}
