package io.imgtool.layer;

import io.imgtool.testing.TarHeaders;
import io.imgtool.testing.Tars;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Compression;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile and malformed layers, refused by the builder with the file and the entry named. */
class LayerValidatorTest {
  private static final String SOURCE = "/tmp/hostile.tar";

  @Test
  void refusesNameWithParentComponent() {
    assertRefused(Tars.create().file("../etc/passwd", "x"), "../etc/passwd", "..");
    assertRefused(Tars.create().file("usr/../../etc/passwd", "x"), "usr/../../etc/passwd", "..");
  }

  @Test
  void refusesAbsoluteName() {
    assertRefused(Tars.create().file("/etc/passwd", "x"), "/etc/passwd", "absolute");
  }

  @Test
  void refusesHardLinkToAbsolutePath() {
    assertRefused(Tars.create().hardLink("etc/shadow", "/etc/shadow"), "etc/shadow", "absolute");
  }

  @Test
  void refusesHardLinkOutsideRoot() {
    assertRefused(Tars.create().hardLink("etc/x", "etc/../../host/x"), "etc/x", "..");
  }

  @Test
  void acceptsAnySymlinkTargetForTargetsAreData() {
    assertAccepted(Tars.create()
        .symlink("lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        .symlink("usr/bin/python", "../../usr/bin/python3")
        .symlink("usr/lib/self", "./../lib/./x")
        // ".." at the root stays at the root; docker export makes such links
        .symlink("usr/lib/up", "../../../etc/passwd")
        .symlink("dotdot", ".."));
  }

  @Test
  void refusesASymlinkWithAnEmptyTarget() {
    assertRefused(Tars.create().symlink("empty", ""), "empty", "empty target");
  }

  @Test
  void refusesWhiteoutOfAWhiteout() {
    assertRefused(Tars.create().file("etc/.wh..wh.foo", ""), "etc/.wh..wh.foo", "whiteout of a whiteout");
  }

  @Test
  void refusesWhiteoutWithoutAName() {
    assertRefused(Tars.create().file("etc/.wh.", ""), "etc/.wh.", "without a file name");
  }

  @Test
  void keepsWhiteoutsAndOpaqueMarkers() {
    assertAccepted(Tars.create().file("etc/.wh.motd", "").file("var/cache/.wh..wh..opq", "").file(".wh.tmp", ""));
  }

  @Test
  void acceptsDotSlashNames() {
    assertAccepted(Tars.create().dir("./").dir("./etc/").file("./etc/hostname", "x").hardLink("./etc/h2", "./etc/hostname"));
  }

  @Test
  void refusesRandomBytes() {
    byte[] random = new byte[100_000];
    new Random(3).nextBytes(random);
    assertUnreadable(random, "not a tar archive");
  }

  @Test
  void refusesATextFile() {
    assertUnreadable("hello, this is not a tar\n".getBytes(), "not a tar archive");
  }

  @Test
  void refusesEmptyInput() {
    assertUnreadable(new byte[0], "empty input");
  }

  @Test
  void refusesTruncatedTar() {
    byte[] tar = Tars.create().file("etc/big", Tars.mixedContent(100_000, 2)).bytes();
    assertUnreadable(Arrays.copyOf(tar, 50_000), "truncated");
  }

  @Test
  void refusesTruncatedGzip() throws Exception {
    byte[] gzip = Tars.gzip(Tars.create().file("etc/big", Tars.mixedContent(100_000, 2)).bytes());
    assertUnreadable(Arrays.copyOf(gzip, gzip.length / 2), "unexpected end of data: the gzip stream is truncated");
  }

  @Test
  void refusesCorruptGzip() throws Exception {
    byte[] gzip = Tars.gzip(Tars.create().file("etc/big", Tars.mixedContent(100_000, 2)).bytes());
    gzip[gzip.length - 8] ^= 0x55; // the CRC-32 of the trailer
    assertUnreadable(gzip, "corrupt gzip data");
  }

  @Test
  void refusesTruncatedZstd() throws Exception {
    byte[] zstd = Tars.zstd(Tars.create().file("etc/big", Tars.mixedContent(100_000, 2)).bytes());
    assertUnreadable(Arrays.copyOf(zstd, zstd.length / 2), "unexpected end of data: the zstd stream is truncated");
  }

  @Test
  void refusesBzip2WithAHint() {
    byte[] bzip2 = {'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0, 0, 0, 0};
    assertUnreadable(bzip2, "bzip2-compressed input is not supported");
  }

  @Test
  void refusesXz() {
    byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 0, 0, 0, 0, 0};
    assertUnreadable(xz, "xz-compressed input is not supported");
  }

  @Test
  void refusesAHeaderWithAFlippedModeBitNamingTheEntry() {
    byte[] tar = Tars.create().file("etc/a", "a\n").file("etc/b", "b\n").bytes();
    assertUnreadable(TarHeaders.flipModeBit(tar, "etc/b"),
        "the tar header of \"etc/b\" has a wrong checksum");
    assertUnreadable(TarHeaders.flipModeBit(tar, "etc/a"),
        "the tar header of \"etc/a\" has a wrong checksum");
  }

  @Test
  void acceptsTheSignedChecksumOldTarsWrote() throws Exception {
    byte[] tar = Tars.create().file("etc/caf\u00e9", "a\n").bytes();
    build(TarHeaders.withSignedChecksum(tar, "etc/caf\u00e9"));
  }

  /**
   * Found by LayerTarFuzzTest (its seed pax-invalid-atime.tar): a PAX atime that is not a number
   * was imported, and then unpack and diff (Commons Compress) could not read the layer.
   */
  @Test
  void refusesAPaxTimeThatUnpackCannotRead() throws Exception {
    byte[] tar;
    try (InputStream in = getClass().getResourceAsStream("LayerTarFuzzTestInputs/layer/pax-invalid-atime.tar")) {
      tar = in.readAllBytes();
    }
    assertUnreadable(tar, "Corrupted PAX header: invalid atime");
  }

  /**
   * Found by LayerTarFuzzTest (seed content-read-as-header.tar): a regular-file header whose name
   * ends in '/' is a directory to Commons Compress, which then reads no content; the validator
   * skipped its size as content and never checked the header there, which unpack applies.
   */
  @Test
  void checksTheEntryUnpackReadsAfterADirectoryNamedWithASlash() throws Exception {
    byte[] tar = seed("content-read-as-header.tar");
    byte[] name = "../evil\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, tar, 512, name.length);
    TarChecksums.fix(tar, 512);
    InvalidLayerException e = assertThrows(InvalidLayerException.class, () -> build(tar));
    assertEquals("../evil", e.entry().orElseThrow());
  }

  /** Found by LayerTarFuzzTest: old GNU header fields and sparse maps Commons Compress refuses. */
  @Test
  void refusesAnOldGnuSparseMapUnpackCannotRead() throws Exception {
    assertUnreadable(seed("gnu-sparse-map-invalid.tar"), "sparse");
  }

  @Test
  void refusesASparseBlockBeyondTheRealSize() throws Exception {
    assertUnreadable(seed("sparse-block-beyond-size.tar"), "Sparse block extends beyond real size");
  }

  @Test
  void refusesAnOldGnuRealSizeThatIsNoNumber() throws Exception {
    assertUnreadable(seed("corrupted-after-entries.tar"), "realsize");
  }

  /**
   * Found by LayerTarFuzzTest: a PAX 1.0 sparse entry keeps its map in its content, as decimal
   * lines; the validator skipped the content unread and imported a map Commons Compress refuses,
   * so unpack and diff could not read the layer.
   */
  @Test
  void refusesAPax1SparseMapUnpackCannotRead() throws Exception {
    assertUnreadable(seed("pax1-sparse-map-non-numeric.tar"), "Non-numeric value in sparse headers block");
  }

  /** Where pax1-sparse.tar's second entry's ustar header starts (its PAX header names no path). */
  private static final int AFTER_HEADER = 7168;

  /** After reading a PAX 1.0 map the validator is where Commons Compress is: at the next header. */
  @Test
  void checksTheEntryAfterAPax1SparseMap() throws Exception {
    byte[] tar = seed("pax1-sparse.tar"); // GNU tar 1.34, --sparse-version=1.0: "holes", then "after"
    assertDoesNotThrow(() -> build(tar));
    byte[] name = "../evil\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, tar, AFTER_HEADER, name.length);
    TarChecksums.fix(tar, AFTER_HEADER);
    InvalidLayerException e = assertThrows(InvalidLayerException.class, () -> build(tar));
    assertEquals("../evil", e.entry().orElseThrow());
  }

  private static byte[] seed(String name) throws Exception {
    try (InputStream in = LayerValidatorTest.class.getResourceAsStream("LayerTarFuzzTestInputs/layer/" + name)) {
      return in.readAllBytes();
    }
  }


  private static void assertRefused(Tars tar, String entry, String reason) {
    InvalidLayerException e = assertThrows(InvalidLayerException.class, () -> build(tar.bytes()));
    assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
    assertTrue(e.getMessage().contains("\"" + entry + "\""), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertEquals(entry, e.entry().orElseThrow());
  }

  private static void assertUnreadable(byte[] input, String reason) {
    InvalidLayerException e = assertThrows(InvalidLayerException.class, () -> build(input));
    assertTrue(e.getMessage().startsWith("invalid layer " + SOURCE + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  private static void assertAccepted(Tars tar) {
    assertDoesNotThrow(() -> build(tar.bytes()));
  }

  private static void build(byte[] input) throws Exception {
    new LayerBuilder(Compression.GZIP, -1)
        .build(new ByteArrayInputStream(input), OutputStream.nullOutputStream(), SOURCE);
  }
}
