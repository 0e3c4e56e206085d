package io.imgtool.layer;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.layer.TarBlock.Field;
import io.imgtool.testing.TarHeaders;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XattrTarInputStreamTest {
  private static final byte[] CAP_HEX_VALUE = PosixTest.CAP_NET_RAW;

  @TempDir
  Path dir;

  /** Every entry's xattrs by entry name, the values as hex for readable failures. */
  static Map<String, Map<String, String>> readXattrs(byte[] tar) throws IOException {
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    try (XattrTarInputStream in = new XattrTarInputStream(new ByteArrayInputStream(tar))) {
      assertTrue(in.xattrs().isEmpty());
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        all.put(e.getName(), hex(in.xattrs()));
      }
      assertTrue(in.xattrs().isEmpty(), "none after the last entry");
    }
    return all;
  }

  static Map<String, String> hex(SortedMap<String, byte[]> xattrs) {
    Map<String, String> hex = new TreeMap<>();
    xattrs.forEach((name, value) -> hex.put(name, HexFormat.of().formatHex(value)));
    return hex;
  }

  @Test
  void refusesAHeaderWhoseChecksumIsWrongAsGnuTarDoes() {
    byte[] tar = Tars.create().file("etc/a", "a\n").file("etc/b", "b\n").bytes();
    IOException e = assertThrows(IOException.class, () -> readXattrs(TarHeaders.flipModeBit(tar, "etc/b")));
    assertEquals(TarChecksum.mismatch("etc/b"), e.getMessage());
  }

  @Test
  void refusesAPaxHeaderWhoseChecksumIsWrong() throws Exception {
    byte[] tar = Tars.create().file("etc/" + "long".repeat(40), "a\n").bytes();
    String paxName = new String(tar, 0, 100, StandardCharsets.UTF_8).replace("\0", ""); // "./PaxHeaders/…"
    assertTrue(paxName.contains("PaxHeaders"), paxName);
    assertThrows(IOException.class, () -> readXattrs(TarHeaders.flipModeBit(tar, paxName)));
  }

  @Test
  void acceptsTheSignedChecksumOldTarsWrote() throws Exception {
    byte[] tar = Tars.create().file("etc/caf\u00e9", "a\n").bytes();
    assertEquals(Map.of("etc/caf\u00e9", Map.of()), readXattrs(TarHeaders.withSignedChecksum(tar, "etc/caf\u00e9")));
  }

  @Test
  void readsBinaryXattrsWrittenByGnuTar() throws Exception {
    Judges.require("tar", "setfattr");
    Path root = Files.createDirectory(dir.resolve("root"));
    Path file = Files.writeString(root.resolve("bin"), "x");
    Tools.run("setfattr", "-n", "user.bin", "-v", "0xff0080616263", file.toString()).orFail();
    Tools.run("setfattr", "-n", "user.text", "-v", "caf\u00e9", file.toString()).orFail();
    Path ping = Files.writeString(root.resolve("ping"), "y");
    boolean capability = PosixTest.isRoot() && Tools.available("setcap");
    if (capability) {
      Tools.run("setcap", "cap_net_raw=+ep", ping.toString()).orFail();
    }
    Path archive = dir.resolve("gnu.tar");
    Tools.run("tar", "--xattrs", "--xattrs-include=*", "--format=posix", "-C", root.toString(),
        "-cf", archive.toString(), "bin", "ping").orFail();

    Map<String, Map<String, String>> read = readXattrs(Files.readAllBytes(archive));
    assertEquals(Map.of("user.bin", "ff0080616263", "user.text", "636166c3a9"), read.get("bin"));
    if (capability) {
      assertEquals(Map.of("security.capability", HexFormat.of().formatHex(CAP_HEX_VALUE)), read.get("ping"));
    }
  }

  @Test
  void commonsCompressAloneCorruptsWhatThisKeeps() throws Exception {
    byte[] tar = TarWriterTest.write(TarWriterTest.goEntries());
    try (TarArchiveInputStream plain = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
      plain.getNextEntry();
      plain.getNextEntry(); // dir/file.txt
      byte[] decoded = plain.getCurrentEntry().getExtraPaxHeaders().get("SCHILY.xattr.user.bin")
          .getBytes(StandardCharsets.UTF_8);
      assertNotEquals(HexFormat.of().formatHex(PosixTest.BINARY), HexFormat.of().formatHex(decoded));
    }
    assertEquals("ff0080616263", readXattrs(tar).get("dir/file.txt").get("user.bin"));
  }

  @Test
  void readsEveryXattrTarWriterWrites() throws IOException {
    Map<String, Map<String, String>> read = readXattrs(TarWriterTest.write(TarWriterTest.goEntries()));
    for (TarWriterTest.Entry entry : TarWriterTest.goEntries()) {
      Map<String, String> expected = new TreeMap<>(hex(entry.header().xattrs()));
      expected.values().remove(""); // an empty PAX value deletes: no tar keeps an empty xattr
      assertEquals(expected, read.get(entry.header().name()), entry.header().name());
    }
  }

  @Test
  void readsTarsWrittenByPythonTarfile() throws Exception {
    Judges.require("python3");
    Path archive = dir.resolve("py.tar");
    String script = String.join("\n",
        "import io, sys, tarfile",
        "with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as tar:",
        "    info = tarfile.TarInfo('f')",
        "    info.size = 1",
        // surrogateescape carries raw bytes; tarfile then marks the header hdrcharset=BINARY
        "    info.pax_headers = {'SCHILY.xattr.user.bin': b'\\xff\\x00\\x80abc'.decode('utf-8', 'surrogateescape')}",
        "    tar.addfile(info, io.BytesIO(b'x'))");
    Tools.run("python3", "-c", script, archive.toString()).orFail();
    assertEquals(Map.of("f", Map.of("user.bin", "ff0080616263")), readXattrs(Files.readAllBytes(archive)));
  }

  @Test
  void readsBsdtarLibarchiveRecords() throws Exception {
    Judges.require("bsdtar", "setfattr");
    Path root = Files.createDirectory(dir.resolve("root"));
    Path file = Files.writeString(root.resolve("f"), "x");
    Tools.run("setfattr", "-n", "user.bin", "-v", "0xff0080616263", file.toString()).orFail();
    Path archive = dir.resolve("bsd.tar");
    Tools.run("bsdtar", "--xattrs", "--format=pax", "-C", root.toString(), "-cf", archive.toString(), "f").orFail();
    assertEquals(Map.of("f", Map.of("user.bin", "ff0080616263")), readXattrs(Files.readAllBytes(archive)));
  }

  @Test
  void decodesLibarchiveRecordsAloneAndPrefersSchily() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    String encodedName = "user.a%3Db%25%C3%BC"; // user.a=b%ü, escaped as libarchive escapes it
    pax(tar, 'x', "only-libarchive", record(
        "LIBARCHIVE.xattr." + encodedName, Base64.getEncoder().withoutPadding().encode(PosixTest.BINARY)));
    file(tar, "only-libarchive");
    pax(tar, 'x', "both", record("LIBARCHIVE.xattr.user.x", "b2xk".getBytes(StandardCharsets.US_ASCII)),
        record("SCHILY.xattr.user.x", "new".getBytes(StandardCharsets.US_ASCII)));
    file(tar, "both");
    Map<String, Map<String, String>> read = readXattrs(finish(tar));
    assertEquals(Map.of("user.a=b%\u00fc", "ff0080616263"), read.get("only-libarchive"));
    assertEquals(Map.of("user.x", "6e6577"), read.get("both"));
  }

  @Test
  void globalRecordsApplyToLaterEntriesAndLocalOnesOverrideThem() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    pax(tar, 'g', "global", record("SCHILY.xattr.user.g", "1"), record("SCHILY.xattr.user.h", "h"));
    file(tar, "inherits");
    pax(tar, 'x', "overrides", record("SCHILY.xattr.user.g", "2"));
    file(tar, "overrides");
    pax(tar, 'x', "deletes", record("SCHILY.xattr.user.g", ""));
    file(tar, "deletes");
    file(tar, "inherits-again");
    pax(tar, 'g', "global2", record("SCHILY.xattr.user.h", ""), record("SCHILY.xattr.user.i", "3"));
    file(tar, "after-second-global");
    Map<String, Map<String, String>> read = readXattrs(finish(tar));
    assertEquals(Map.of("user.g", "31", "user.h", "68"), read.get("inherits"));
    assertEquals(Map.of("user.g", "32", "user.h", "68"), read.get("overrides"));
    assertEquals(Map.of("user.h", "68"), read.get("deletes"));
    assertEquals(Map.of("user.g", "31", "user.h", "68"), read.get("inherits-again"));
    assertEquals(Map.of("user.g", "31", "user.i", "33"), read.get("after-second-global"));
  }

  @Test
  void emptyValueDeletesAnXattrOfTheSameHeader() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    pax(tar, 'x', "f", record("SCHILY.xattr.user.a", "1"), record("SCHILY.xattr.user.a", ""),
        record("SCHILY.xattr.user.b", "2"));
    file(tar, "f");
    assertEquals(Map.of("f", Map.of("user.b", "32")), readXattrs(finish(tar)));
  }

  @Test
  void twoPaxHeadersForOneEntryAreRefused() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    pax(tar, 'x', "first", record("path", "first"), record("SCHILY.xattr.user.k", "1"));
    pax(tar, 'x', "second", record("path", "second"), record("SCHILY.xattr.user.k", "2"));
    file(tar, "f");
    byte[] bytes = finish(tar);
    IOException e = assertThrows(IOException.class, () -> readXattrs(bytes));
    assertTrue(e.getMessage().contains("two PAX headers"), e.getMessage());
  }

  @Test
  void contentThatIsItselfATarCannotInjectXattrs() throws IOException {
    byte[] inner = TarWriterTest.write(TarWriterTest.goEntries()); // full of PAX headers with xattrs
    ByteArrayOutputStream outer = new ByteArrayOutputStream();
    TarWriter writer = new TarWriter(outer);
    for (String name : new String[] {"nested.tar", "after"}) {
      writer.putEntry(new TarHeader(name, TarHeader.REGULAR, 0644, 0, 0, 0, inner.length, null, 0, 0, null));
      writer.write(inner, 0, inner.length);
      writer.closeEntry();
    }
    writer.finish();
    try (XattrTarInputStream in = new XattrTarInputStream(new ByteArrayInputStream(outer.toByteArray()))) {
      in.getNextEntry();
      assertTrue(in.xattrs().isEmpty());
      for (int i = 0; i < 2000; i++) {
        in.read(); // byte by byte, then in chunks: neither way of reading content counts
      }
      assertArrayEquals(java.util.Arrays.copyOfRange(inner, 2000, inner.length), in.readAllBytes());
      assertTrue(in.xattrs().isEmpty());
      assertEquals("after", in.getNextEntry().getName());
      assertTrue(in.xattrs().isEmpty());
      assertNull(in.getNextEntry());
    }
  }

  @Test
  void deprecatedGetNextTarEntryCapturesToo() throws IOException {
    try (XattrTarInputStream in = new XattrTarInputStream(
        new ByteArrayInputStream(TarWriterTest.write(TarWriterTest.goEntries())))) {
      in.getNextEntry();
      @SuppressWarnings("deprecation")
      TarArchiveEntry file = in.getNextTarEntry();
      assertEquals("dir/file.txt", file.getName());
      assertEquals(Map.of("security.capability", HexFormat.of().formatHex(CAP_HEX_VALUE), "user.bin", "ff0080616263"),
          hex(in.xattrs()));
    }
  }

  @Test
  void malformedRecordsAreIoExceptions() throws IOException {
    String[] bodies = {
        "abc SCHILY.xattr.user.a=1\n", // length not a number (Commons Compress refuses too)
        "40 SCHILY.xattr.user.a=1\n", // length past the end of the header
        "25 SCHILY.xattr.user.a=1x", // no newline where the length ends
        "12 noequals\n", // no KEY=
        "25 SCHILY.xattr.user.a=1\n\0\0", // trailing bytes that are no record
    };
    for (String body : bodies) {
      ByteArrayOutputStream tar = new ByteArrayOutputStream();
      pax(tar, 'x', "f", body.getBytes(StandardCharsets.ISO_8859_1));
      file(tar, "f");
      byte[] bytes = finish(tar);
      assertThrows(IOException.class, () -> readXattrs(bytes), body);
    }
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    pax(tar, 'x', "f", record("LIBARCHIVE.xattr.user.a", "!!!not base64"));
    file(tar, "f");
    byte[] bytes = finish(tar);
    assertThrows(IOException.class, () -> readXattrs(bytes));
  }

  private static byte[] record(String key, String value) {
    return record(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] record(String key, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PaxRecords.append(out, key.getBytes(StandardCharsets.UTF_8), value);
    return out.toByteArray();
  }

  /** A raw PAX header of the given type whose body is the records, in order. */
  private static void pax(ByteArrayOutputStream tar, char type, String name, byte[]... records) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] record : records) {
      body.writeBytes(record);
    }
    tar.writeBytes(new TarBlock().typeflag((byte) type).string(Field.NAME, "PaxHeaders.0/" + name)
        .octal(Field.MODE, 0).octal(Field.SIZE, body.size()).finish());
    tar.writeBytes(body.toByteArray());
    tar.writeBytes(new byte[-body.size() & (TarBlock.SIZE - 1)]);
  }

  private static void file(ByteArrayOutputStream tar, String name) throws IOException {
    new TarWriter(tar).putEntry(new TarHeader(name, TarHeader.REGULAR, 0644, 0, 0, 0, 0, null, 0, 0, null));
  }

  private static byte[] finish(ByteArrayOutputStream tar) {
    tar.writeBytes(new byte[2 * TarBlock.SIZE]);
    return tar.toByteArray();
  }
}
