package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Compression;
import io.imgtool.image.Image;
import io.imgtool.image.InvalidImageException;
import io.imgtool.testing.TarHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpackerTest {
  @TempDir Path tmp;
  private TestLayout layout;
  private Path canary;
  private Map<String, String> canaryBefore;

  @BeforeEach
  void setUp() throws IOException {
    layout = new TestLayout(tmp.resolve("layout"));
    canary = Files.createDirectories(tmp.resolve("canary"));
    Files.writeString(canary.resolve("passwd"), "untouched\n");
    canaryBefore = TreeSnapshot.of(canary);
  }

  private Image image(byte[]... layers) {
    return layout.image("img", java.util.Arrays.stream(layers).map(layout::layer).toList());
  }

  /** Refused, nothing outside the root touched, and nothing left of the new directory. */
  private void assertRefused(Image image, Class<? extends RuntimeException> type) throws IOException {
    Path dir = tmp.resolve("refused");
    assertThrows(type, () -> Unpacker.unpack(image, dir));
    assertCanaryUntouched();
    assertFalse(Files.exists(dir), "a failed unpack into a new directory leaves nothing behind");
  }

  private void assertCanaryUntouched() {
    assertEquals(canaryBefore, TreeSnapshot.of(canary), "the canary outside the root was touched");
  }

  /** What the root holds at the canary's absolute path: where an absolute name or link lands. */
  private Path canaryInside(Path root) {
    return root.resolve(canary.toString().substring(1));
  }

  @Test
  void refusesNamesWhoseDotDotClimbsAboveTheRoot() throws IOException {
    assertRefused(image(new TestLayer().file("../canary/passwd", "pwned").bytes()), UnsafeLayerException.class);
    assertRefused(image(new TestLayer().dir("a").file("a/../../canary/new", "pwned").bytes()),
        UnsafeLayerException.class);
  }

  @Test
  void aDotDotThatStaysInsideTheRootIsResolved() throws IOException {
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(image(new TestLayer().dir("a").file("a/../b", "inside").bytes()), dir);
    assertEquals("inside", Files.readString(dir.resolve("b")));
  }

  @Test
  void absoluteNamesLandInsideTheRootAsWithDockerAndUmoci() throws IOException {
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(image(new TestLayer().file(canary.resolve("passwd").toString(), "inside").bytes()), dir);
    assertEquals("inside", Files.readString(canaryInside(dir).resolve("passwd")));
    assertCanaryUntouched();
  }

  @Test
  void aSymlinkOnThePathIsFollowedInsideTheRoot() throws IOException {
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(image(new TestLayer().symlink("evil", canary.toString()).file("evil/passwd", "inside")
        .symlink("rel", "../../canary").file("rel/new", "inside too").bytes()), dir);
    assertEquals("inside", Files.readString(canaryInside(dir).resolve("passwd")));
    assertEquals("inside too", Files.readString(dir.resolve("canary/new")), "'..' stops at the root");
    assertTrue(Files.isSymbolicLink(dir.resolve("evil")), "the link stays a link, its target as written");
    assertEquals(canary.toString(), Files.readSymbolicLink(dir.resolve("evil")).toString());
    assertCanaryUntouched();
  }

  @Test
  void aSymlinkALowerLayerMadeIsFollowedInsideTheRoot() throws IOException {
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(image(new TestLayer().symlink("evil", canary.toString()).bytes(),
        new TestLayer().dir("evil/sub").bytes()), dir);
    assertTrue(Files.isDirectory(canaryInside(dir).resolve("sub"), LinkOption.NOFOLLOW_LINKS));
    assertCanaryUntouched();
  }

  @Test
  void writesThroughAnInRootSymlinkAsUmociDoes() throws Exception {
    Image image = layout.image("usrmerge", List.of(
        layout.layer(new TestLayer().dir("usr").dir("usr/bin").symlink("bin", "usr/bin").bytes()),
        layout.layer(new TestLayer().file("bin/tool", "tool", 0755, 0, 0).bytes())));
    Path ours = tmp.resolve("rootfs");
    Unpacker.unpack(image, ours);
    assertEquals("tool", Files.readString(ours.resolve("usr/bin/tool")));
    assertTrue(Files.isSymbolicLink(ours.resolve("bin")));
    Path theirs = layout.umociUnpack("usrmerge", tmp.resolve("bundle"));
    assertEquals(TreeSnapshot.of(theirs), TreeSnapshot.of(ours));
  }

  @Test
  void whiteoutsThroughASymlinkStayInsideTheRoot() throws IOException {
    for (String whiteout : List.of("evil/.wh.passwd", "evil/.wh..wh..opq")) {
      Path dir = tmp.resolve("rootfs-" + whiteout.length());
      Unpacker.unpack(image(new TestLayer().symlink("evil", canary.toString()).bytes(),
          new TestLayer().file(whiteout, "").bytes()), dir);
      assertCanaryUntouched();
    }
  }

  @Test
  void hardLinksResolveInsideTheRoot() throws IOException {
    assertRefused(image(new TestLayer().hardLink("passwd", canary.resolve("passwd").toString()).bytes()),
        InvalidLayerException.class);
    assertRefused(image(new TestLayer().hardLink("passwd", "../canary/passwd").bytes()), UnsafeLayerException.class);
    assertRefused(image(new TestLayer().symlink("evil", canary.toString())
        .hardLink("passwd", "evil/passwd").bytes()), InvalidLayerException.class);
  }

  @Test
  void aFailedUnpackIntoAnEmptyDirectoryLeavesItEmpty() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    Image image = image(new TestLayer().dir("etc").file("etc/x", "x").bytes(),
        new TestLayer().hardLink("etc/y", "etc/missing").bytes());
    assertThrows(InvalidLayerException.class, () -> Unpacker.unpack(image, dir));
    assertTrue(Files.isDirectory(dir));
    try (var entries = Files.list(dir)) {
      assertEquals(List.of(), entries.toList());
    }
  }

  @Test
  void aReadOnlyDirectoryIsFilledAndGetsItsModeAtTheEnd() throws IOException {
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(image(new TestLayer().dir("ro", 0555, 0, 0).file("ro/file", "in a read-only dir").bytes(),
        new TestLayer().file("ro/later", "a later layer").bytes()), dir);
    assertEquals("in a read-only dir", Files.readString(dir.resolve("ro/file")));
    assertEquals(0555, (int) Files.getAttribute(dir.resolve("ro"), "unix:mode") & 07777);
  }

  @Test
  void keepsXattrsOfEveryNamespaceAsTheirExactBytes() throws IOException {
    byte[] binary = {(byte) 0xff, 0, (byte) 0x80, 'a', 'b', 'c'};
    // cap_net_raw=+ep as setcap writes it: vfs_cap_data revision 2
    byte[] capability = HexFormat.of().parseHex("0000000200200000000000000000000000000000");
    SortedMap<String, byte[]> xattrs = new TreeMap<>(Map.of("user.bin", binary, "security.capability", capability));
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    TarWriter tar = new TarWriter(layer);
    tar.putEntry(new TarHeader("ping", TarHeader.REGULAR, 0755, 0, 0, TestLayer.MTIME, 4, null, 0, 0, xattrs));
    tar.write("ping".getBytes(StandardCharsets.UTF_8), 0, 4);
    tar.finish();
    Path dir = tmp.resolve("rootfs");
    UnpackReport report = Unpacker.unpack(image(layer.toByteArray()), dir);
    assertArrayEquals(binary, Posix.getXattr(dir.resolve("ping"), "user.bin"));
    assertArrayEquals(capability, Posix.getXattr(dir.resolve("ping"), "security.capability"), "root sets capabilities");
    assertTrue(report.exact(), report.toString());
  }

  @Test
  void unpacksAPathAThousandDirectoriesDeep() throws IOException {
    String deep = String.join("/", java.util.Collections.nCopies(1000, "d"));
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(image(new TestLayer().file(deep + "/leaf", "deep").bytes()), dir);
    assertEquals("deep", Files.readString(dir.resolve(deep + "/leaf")));
    DiskWriter.delete(dir); // JUnit's clean-up resolves every directory's real path: minutes at this depth
  }

  @Test
  void writesOverASymlinkReplacingItNotFollowingIt() throws IOException {
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(image(new TestLayer().symlink("passwd", canary.resolve("passwd").toString()).bytes(),
        new TestLayer().file("passwd", "inside").bytes()), dir);
    assertEquals("inside", Files.readString(dir.resolve("passwd")));
    assertEquals(canaryBefore, TreeSnapshot.of(canary));
  }

  @Test
  void appliesWhiteoutsAndOpaqueDirectoriesToLowerLayersOnly() throws IOException {
    Path dir = tmp.resolve("rootfs");
    Unpacker.unpack(image(
        new TestLayer().dir("a").file("a/x", "x").file("a/y", "y").dir("b").file("b/old", "o")
            .dir("c").dir("c/d").file("c/d/e", "e").bytes(),
        new TestLayer().file("a/.wh.x", "").file("b/new", "n").file("b/.wh..wh..opq", "")
            .file(".wh.c", "").file("c/again", "new c").bytes()), dir);
    assertEquals(List.of("a", "a/y", "b", "b/new", "c", "c/again"), List.copyOf(TreeSnapshot.of(dir).keySet()));
  }

  @Test
  void keepsTypesModesOwnersTimesLinksAndDevices() throws IOException {
    Path dir = tmp.resolve("rootfs");
    UnpackReport report = Unpacker.unpack(image(new TestLayer()
        .dir("d", 02775, 10, 20).file("d/suid", "s", 04755, 1000, 1000)
        .dir("t", 01777, 0, 0).symlink("d/link", "suid").hardLink("d/hard", "d/suid")
        .device("d/null", TarConstants.LF_CHR, 1, 3).device("d/fifo", TarConstants.LF_FIFO, 0, 0)
        .bytes()), dir);
    Map<String, String> tree = TreeSnapshot.of(dir);
    long mtime = TestLayer.MTIME;
    assertEquals("dir mode=2775 owner=10:20 mtime=" + mtime, tree.get("d"));
    assertEquals("dir mode=1777 owner=0:0 mtime=" + mtime, tree.get("t"));
    assertTrue(tree.get("d/suid").endsWith("mode=4755 owner=1000:1000 mtime=" + mtime + " linked=[d/hard]"));
    assertEquals("symlink -> suid owner=0:0 mtime=" + mtime, tree.get("d/link"));
    assertEquals("special 1,3 mode=666 owner=0:0 mtime=" + mtime, tree.get("d/null"));
    assertTrue(Files.readAttributes(dir.resolve("d/fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS)
        .get("mode").equals(0010666));
    assertTrue(report.exact(), report.toString());
    assertEquals(7, report.entries());
  }

  @Test
  void readsZstdAndUncompressedLayers() throws IOException {
    Path dir = tmp.resolve("rootfs");
    Image image = layout.image("img", List.of(
        layout.layer(new TestLayer().dir("z").file("z/file", "zstd").bytes(), Compression.ZSTD),
        layout.layer(new TestLayer().file("plain", "tar").bytes(), Compression.NONE)));
    Unpacker.unpack(image, dir);
    assertEquals("zstd", Files.readString(dir.resolve("z/file")));
    assertEquals("tar", Files.readString(dir.resolve("plain")));
  }

  @Test
  void refusesALayerWhoseDiffIdDoesNotMatch() {
    TestLayout.Layer good = layout.layer(new TestLayer().file("f", "x").bytes());
    TestLayout.Layer other = layout.layer(new TestLayer().file("f", "y").bytes());
    Image image = layout.image("img", List.of(new TestLayout.Layer(good.blob(), other.diffId())));
    InvalidImageException e = assertThrows(InvalidImageException.class,
        () -> Unpacker.unpack(image, tmp.resolve("rootfs")));
    assertTrue(e.getMessage().contains("diff_id"), e.getMessage());
  }

  @Test
  void refusesACorruptBlob() throws IOException {
    TestLayout.Layer layer = layout.layer(new TestLayer().file("f", "x").bytes(), Compression.NONE);
    Image image = layout.image("img", List.of(layer));
    byte[] bytes = Files.readAllBytes(layout.blob(layer.blob().digest()));
    bytes[bytes.length - 1] = 1; // in the end-of-archive padding: the tar still reads
    Files.write(layout.blob(layer.blob().digest()), bytes);
    InvalidImageException e = assertThrows(InvalidImageException.class,
        () -> Unpacker.unpack(image, tmp.resolve("rootfs")));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void refusesAHeaderWhoseChecksumIsWrongNamingTheLayerAndTheEntry() throws IOException {
    byte[] tar = TarHeaders.flipModeBit(new TestLayer().file("a", "a").file("b", "b").bytes(), "b");
    TestLayout.Layer layer = layout.layer(tar, Compression.NONE); // digests of the altered bytes: they match
    assertRefused(layout.image("img", List.of(layer)), InvalidLayerException.class);
    InvalidLayerException e = assertThrows(InvalidLayerException.class,
        () -> Unpacker.unpack(layout.image("img", List.of(layer)), tmp.resolve("rootfs")));
    assertEquals("invalid layer " + layer.blob().digest() + ": " + TarChecksum.mismatch("b"), e.getMessage());
  }

  @Test
  void refusesADirectoryThatIsNotEmpty() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("rootfs"));
    Files.writeString(dir.resolve("existing"), "x");
    assertThrows(IllegalArgumentException.class,
        () -> Unpacker.unpack(image(new TestLayer().file("f", "x").bytes()), dir));
    assertFalse(Files.exists(dir.resolve("f")));
  }

  @Test
  void matchesUmociUnpack() throws Exception {
    Image image = RootfsDiffTest.base(layout);
    Path ours = tmp.resolve("rootfs");
    Unpacker.unpack(image, ours);
    Path theirs = layout.umociUnpack("base", tmp.resolve("bundle"));
    assertEquals(TreeSnapshot.of(theirs), TreeSnapshot.of(ours));
  }
}
