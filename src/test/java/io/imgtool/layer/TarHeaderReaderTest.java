package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header walker reads every entry as Commons Compress (which unpack uses) reads it. */
class TarHeaderReaderTest {
  @TempDir Path dir;

  /**
   * Found by LayerTarFuzzTest (its seed v7-header-with-prefix.tar): Commons Compress joins the
   * prefix field to the name for any header but an old GNU one; the reader did only for ustar
   * "00", so import checked "usr/bin/link" where unpack applies "ddd…/usr/bin/link".
   */
  @Test
  void joinsThePrefixOfAV7HeaderAsCommonsCompress() throws IOException {
    byte[] tar;
    try (InputStream in = getClass().getResourceAsStream("LayerTarFuzzTestInputs/layer/v7-header-with-prefix.tar")) {
      tar = in.readAllBytes();
    }
    // names and links only: a v7 regular file's typeflag is NUL, which Commons Compress shows as '0'
    assertEquals(read(tar).stream().map(e -> e.substring(2)).toList(),
        walk(tar).stream().map(e -> e.substring(2)).toList());
    assertEquals("2 " + "d".repeat(28) + "/usr/bin/link -> ../etc/hostname", walk(tar).get(1));
  }

  @Test
  void readsCommonsCompressPaxTarsAsCommonsCompress() throws IOException {
    String longName = "usr/share/" + "very-long-directory-name/".repeat(8) + "file";
    byte[] tar = Tars.create()
        .dir("etc/")
        .file("etc/hostname", "imgtool\n")
        .file(longName, "long")
        .file("usr/ünïcødé", "x")
        .hardLink("etc/h2", "etc/hostname")
        .symlink("lib", "usr/" + "x".repeat(150))
        .file("etc/.wh.motd", "")
        .file("big", Tars.mixedContent(3 * TarHeaderReader.BLOCK + 17, 4))
        .bytes();

    assertSameAsCommonsCompress(tar);
  }

  @Test
  void readsGnuTarFormatsAsCommonsCompress() throws Exception {
    Judges.require("tar");
    Path tree = dir.resolve("tree");
    Path deep = Files.createDirectories(tree.resolve("a/" + "b".repeat(90) + "/" + "c".repeat(90)));
    Files.writeString(deep.resolve("d".repeat(120)), "deep");
    Files.createSymbolicLink(tree.resolve("link"), Path.of("a/" + "b".repeat(90) + "/" + "c".repeat(90)));
    Files.createLink(tree.resolve("hard"), deep.resolve("d".repeat(120)));
    try (var sparse = java.nio.channels.FileChannel.open(tree.resolve("sparse"),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
      sparse.write(java.nio.ByteBuffer.wrap("start".getBytes()), 0);
      sparse.write(java.nio.ByteBuffer.wrap("end".getBytes()), 3 << 20);
    }
    for (String format : List.of("gnu", "posix", "ustar", "oldgnu")) {
      Path tar = dir.resolve(format + ".tar");
      List<String> command = new ArrayList<>(List.of("tar", "--format=" + format, "--sort=name", "-C",
          tree.toString(), "-cf", tar.toString()));
      if (!format.equals("ustar")) {
        command.add("--sparse");
      }
      command.add(".");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        assertEquals("ustar", format, output); // ustar cannot hold the long names; the others must work
        continue;
      }
      assertSameAsCommonsCompress(Files.readAllBytes(tar));
    }
  }

  @Test
  void readsPythonPaxAndGnuTarsAsCommonsCompress() throws Exception {
    Judges.require("python3");
    for (String format : List.of("PAX_FORMAT", "GNU_FORMAT")) {
      Path tar = dir.resolve(format + ".tar");
      String script = String.join("\n",
          "import io, sys, tarfile",
          "t = tarfile.open(sys.argv[1], 'w', format=tarfile." + format + ")",
          "def add(name, data=b'', kind=tarfile.REGTYPE, link=''):",
          "    i = tarfile.TarInfo(name); i.type = kind; i.linkname = link; i.size = len(data)",
          "    i.pax_headers = {'SCHILY.xattr.user.k': 'v'} if '" + format + "' == 'PAX_FORMAT' else {}",
          "    t.addfile(i, io.BytesIO(data))",
          "add('dir', kind=tarfile.DIRTYPE)",
          "add('dir/' + 'n' * 200, b'long name')",
          "add('dir/l', kind=tarfile.SYMTYPE, link='t' * 200)",
          "add('dir/h', kind=tarfile.LNKTYPE, link='dir/' + 'n' * 200)",
          "add('dir/caf\\u00e9', b'x' * 1000)",
          "t.close()");
      Process process = new ProcessBuilder("python3", "-c", script, tar.toString()).inheritIO().start();
      assertEquals(0, process.waitFor());
      assertSameAsCommonsCompress(Files.readAllBytes(tar));
    }
  }

  @Test
  void aNameSetByPaxLosesItsLeadingSlashesAsInCommonsCompress() throws IOException {
    byte[] tar = Tars.create().file("/" + "abs/".repeat(30) + "x", "x").bytes();

    assertSameAsCommonsCompress(tar);
  }

  @Test
  void refusesAHeaderWithABadChecksumOrNumber() throws IOException {
    byte[] tar = Tars.create().file("a", "x").bytes();
    byte[] badChecksum = tar.clone();
    badChecksum[0] = 'b';
    assertThrows(IOException.class, () -> walk(badChecksum));

    byte[] badMode = tar.clone();
    badMode[100] = '9';
    fixChecksum(badMode);
    assertThrows(IOException.class, () -> walk(badMode));
    assertThrows(IOException.class, () -> read(badMode));
  }

  /** Seed content-read-as-header.tar: a file header named "etc/" is a directory, its size no content. */
  @Test
  void readsNoContentForAnEntryNamedAsADirectoryAsCommonsCompress() throws IOException {
    byte[] tar;
    try (InputStream in = getClass().getResourceAsStream("LayerTarFuzzTestInputs/layer/content-read-as-header.tar")) {
      tar = in.readAllBytes();
    }
    TarChecksums.fix(tar, 512); // the seed's "host\n" header has none: Commons Compress checks none
    // names and targets; the typeflags differ only in how a NUL one is spelled
    assertEquals(read(tar).stream().map(e -> e.substring(2)).toList(),
        walk(tar).stream().map(e -> e.substring(2)).toList());
    assertEquals(3, walk(tar).size());
  }

  /**
   * Seed pax-sparse-name-without-size.tar (found by LayerTarFuzzTest): a GNU.sparse.name without
   * GNU.sparse.realsize or .size is no name to Commons Compress, so unpack writes the header's.
   */
  @Test
  void takesAPaxSparseNameOnlyAsCommonsCompress() throws IOException {
    byte[] tar;
    try (InputStream in = getClass().getResourceAsStream("LayerTarFuzzTestInputs/layer/pax-sparse-name-without-size.tar")) {
      tar = in.readAllBytes();
    }
    assertEquals(List.of("0 ./GNUSparseFile.19830/sparse -> "), walk(tar));
    assertSameAsCommonsCompress(tar);
  }

  @Test
  void aTarCutInsideAnEntryIsAnEndOfFile() throws IOException {
    byte[] tar = Tars.create().file("a", Tars.mixedContent(5000, 1)).bytes();

    assertThrows(java.io.EOFException.class, () -> walk(Arrays.copyOf(tar, 2048)));
  }

  private static void assertSameAsCommonsCompress(byte[] tar) throws IOException {
    assertEquals(read(tar), walk(tar));
  }

  private static List<String> walk(byte[] tar) throws IOException {
    List<String> entries = new ArrayList<>();
    TarHeaderReader reader = new TarHeaderReader(new ByteArrayInputStream(tar));
    for (TarHeaderReader.Entry e; (e = reader.next()) != null; ) {
      entries.add((char) e.type() + " " + e.name() + " -> " + e.linkName());
    }
    return entries;
  }

  private static List<String> read(byte[] tar) throws IOException {
    List<String> entries = new ArrayList<>();
    try (InputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
      TarArchiveInputStream archive = (TarArchiveInputStream) in;
      for (TarArchiveEntry e; (e = archive.getNextEntry()) != null; ) {
        entries.add((char) typeOf(e) + " " + e.getName() + " -> " + e.getLinkName());
      }
    }
    return entries;
  }

  /** The typeflag Commons Compress read; its sparse entries keep the old GNU 'S'. */
  private static byte typeOf(TarArchiveEntry e) {
    return e.isOldGNUSparse() ? (byte) 'S' : e.isDirectory() ? (byte) '5' : e.isSymbolicLink() ? (byte) '2'
        : e.isLink() ? (byte) '1' : (byte) '0';
  }

  private static void fixChecksum(byte[] tar) {
    Arrays.fill(tar, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += tar[i] & 0xff;
    }
    byte[] octal = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(octal, 0, tar, 148, 8);
  }
}
