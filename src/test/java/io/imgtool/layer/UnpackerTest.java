package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Compression;
import io.imgtool.image.Image;
import io.imgtool.image.InvalidImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  private void assertRefused(Image image) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "rootfs");
    assertThrows(UnsafeLayerException.class, () -> Unpacker.unpack(image, dir));
    assertEquals(canaryBefore, TreeSnapshot.of(canary), "the canary outside the root was touched");
    assertTrue(Files.exists(canary.resolve("passwd")));
  }

  @Test
  void refusesDotDotNames() throws IOException {
    assertRefused(image(new TestLayer().file("../canary/passwd", "pwned").bytes()));
    assertRefused(image(new TestLayer().dir("a").file("a/../../canary/new", "pwned").bytes()));
  }

  @Test
  void refusesAbsoluteNames() throws IOException {
    assertRefused(image(new TestLayer().file(canary.resolve("passwd").toString(), "pwned").bytes()));
  }

  @Test
  void refusesWritingThroughASymlinkTheSameLayerMade() throws IOException {
    assertRefused(image(new TestLayer().symlink("evil", canary.toString())
        .file("evil/passwd", "pwned").bytes()));
    assertRefused(image(new TestLayer().symlink("rel", "../canary").file("rel/new", "pwned").bytes()));
  }

  @Test
  void refusesWritingThroughASymlinkALowerLayerMade() throws IOException {
    assertRefused(image(new TestLayer().symlink("evil", canary.toString()).bytes(),
        new TestLayer().dir("evil/sub").bytes()));
  }

  @Test
  void refusesWhiteoutsThroughASymlink() throws IOException {
    assertRefused(image(new TestLayer().symlink("evil", canary.toString()).bytes(),
        new TestLayer().file("evil/.wh.passwd", "").bytes()));
    assertRefused(image(new TestLayer().symlink("evil", canary.toString()).bytes(),
        new TestLayer().file("evil/.wh..wh..opq", "").bytes()));
  }

  @Test
  void refusesHardLinksOutsideTheRoot() throws IOException {
    assertRefused(image(new TestLayer().hardLink("passwd", "/etc/passwd").bytes()));
    assertRefused(image(new TestLayer().hardLink("passwd", "../canary/passwd").bytes()));
    assertRefused(image(new TestLayer().symlink("evil", canary.toString())
        .hardLink("passwd", "evil/passwd").bytes()));
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
