package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.imgtool.layer.RawTar.OLD_GNU;
import static io.imgtool.layer.RawTar.USTAR;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * Tars that readers read differently are refused at import: a sparse entry's content ends where
 * its map says for Commons Compress (unpack) and where its size says for the validator, and of
 * two names for one entry Commons Compress takes the first where GNU tar and Go take the last.
 * Each tar here is made byte by byte ({@link RawTar}), as no tar tool writes them; each accepted
 * one must read the same in Commons Compress.
 */
class AmbiguousTarTest {

  /** Found by LayerTarFuzzTest: an empty map made unpack read the content as three more entries. */
  @Test
  void refusesAnOldGnuMapThatNamesNoneOfTheStoredData() throws IOException {
    byte[] tar;
    try (InputStream in = getClass().getResourceAsStream("LayerTarFuzzTestInputs/layer/oldgnu-sparse-map-empty.tar")) {
      tar = TarChecksums.fixed(in.readAllBytes()); // the fuzzer's input as the test made it, sums right
    }
    assertRefused(tar, "names 0 bytes of data where the entry stores 4096");
  }

  @Test
  void refusesASparseTypeInAUstarHeaderWithContent() {
    RawTar tar = new RawTar().header("holes", 'S', 512, USTAR).content(hiddenEntry()).end();
    assertRefused(tar.bytes(), "names 0 bytes of data where the entry stores 512");
  }

  @Test
  void readsPax0RecordsInTheirOrderAsCommonsCompress() throws IOException {
    RawTar tar = new RawTar()
        .pax(List.of("GNU.sparse.size", "4096", "GNU.sparse.offset", "0", "GNU.sparse.numbytes", "512",
            "GNU.sparse.offset", "3584", "GNU.sparse.numbytes", "512"))
        .header("holes", '0', 1024, USTAR).content(new byte[1024])
        .header("after", '0', 0, USTAR).end();
    assertAcceptedAsCommonsCompress(tar.bytes(), List.of("holes", "after"));
  }

  @Test
  void refusesAPax0MapThatNamesLessThanTheStoredData() {
    RawTar tar = new RawTar()
        .pax(List.of("GNU.sparse.size", "4096", "GNU.sparse.map", "0,512"))
        .header("holes", '0', 1024, USTAR).content(new byte[512], hiddenEntry()).end();
    assertRefused(tar.bytes(), "names 512 bytes of data where the entry stores 1024");
  }

  @Test
  void refusesAPax0MapThatCommonsCompressCannotRead() {
    RawTar tar = new RawTar()
        .pax(List.of("GNU.sparse.size", "4096", "GNU.sparse.map", "0,512,9"))
        .header("holes", '0', 512, USTAR).content(new byte[512]).end();
    assertRefused(tar.bytes(), "Bad format in GNU.sparse.map");
  }

  @Test
  void refusesAStarSparseEntryWhoseRealSizeIsNotItsStoredSize() {
    RawTar tar = new RawTar()
        .pax(List.of("SCHILY.filetype", "sparse", "SCHILY.realsize", "0"))
        .header("holes", '0', 512, USTAR).content(hiddenEntry()).end();
    assertRefused(tar.bytes(), "names 0 bytes of data where the entry stores 512");
  }

  @Test
  void refusesAnEntrySparseInTwoFormats() {
    RawTar tar = new RawTar()
        .pax(List.of("GNU.sparse.size", "512"))
        .header("holes", 'S', 512, OLD_GNU).content(new byte[512]).end();
    assertRefused(tar.bytes(), "sparse in more than one format");
  }

  @Test
  void refusesSparseRecordsInAGlobalHeader() {
    RawTar tar = new RawTar().global(List.of("GNU.sparse.size", "512"))
        .header("file", '0', 0, USTAR).end();
    assertRefused(tar.bytes(), "global PAX header holds the sparse record GNU.sparse.size");
  }

  /**
   * Commons Compress (and Python) name this entry by the first of two PAX headers, GNU tar and Go
   * by the second: what import checked would not be what unpack or containerd writes. No tar
   * writes two.
   */
  @Test
  void refusesTwoPaxHeadersForOneEntry() {
    RawTar tar = new RawTar()
        .pax(List.of("path", "../escape"))
        .pax(List.of("path", "inside"))
        .header("file", '0', 0, USTAR).end();
    assertRefused(tar.bytes(), "Two PAX headers for one entry");
  }

  /** Found by LayerTarFuzzTest: unpack named the entry by the first long name, import by the second. */
  @Test
  void refusesTwoGnuLongNamesForOneEntry() throws IOException {
    byte[] tar;
    try (InputStream in = getClass().getResourceAsStream("LayerTarFuzzTestInputs/layer/two-gnu-long-names.tar")) {
      tar = TarChecksums.fixed(in.readAllBytes());
    }
    assertRefused(tar, "Two GNU long names for one entry");
  }

  @Test
  void refusesTwoGnuLongLinkNamesForOneEntry() {
    RawTar tar = new RawTar().longName('K', "../../etc/passwd").longName('K', "target")
        .header("link", '2', 0, OLD_GNU).end();
    assertRefused(tar.bytes(), "Two GNU long link names for one entry");
  }

  /** Commons Compress takes whichever comes first, Go the long name. */
  @Test
  void refusesAnEntryNamedByAGnuLongNameAndAPaxPath() {
    RawTar longNameFirst = new RawTar().longName('L', "../escape").pax(List.of("path", "inside"))
        .header("file", '0', 0, USTAR).end();
    assertRefused(longNameFirst.bytes(), "named by both a GNU long name and a PAX record");
    RawTar paxFirst = new RawTar().pax(List.of("path", "inside")).longName('L', "../escape")
        .header("file", '0', 0, USTAR).end();
    assertRefused(paxFirst.bytes(), "named by both a GNU long name and a PAX record");
  }

  @Test
  void refusesALinkTargetGivenByAGnuLongLinkNameAndAPaxLinkpath() {
    RawTar tar = new RawTar().pax(List.of("linkpath", "target")).longName('K', "../../etc/passwd")
        .header("link", '2', 0, USTAR).end();
    assertRefused(tar.bytes(), "given by both a GNU long link name and a PAX record");
  }

  @Test
  void acceptsOneGnuLongNameAsCommonsCompressReadsIt() throws IOException {
    String name = "d/".repeat(80) + "file";
    RawTar tar = new RawTar().longName('L', name).header("file", '0', 0, OLD_GNU).end();
    assertAcceptedAsCommonsCompress(tar.bytes(), List.of(name));
  }

  /**
   * Commons Compress (and GNU tar, Python) name the entry by its PAX header, though a global one
   * came after it; the validator took the global one. No tar writes one between.
   */
  @Test
  void refusesAGlobalHeaderBetweenAnEntrysPaxHeaderAndTheEntry() {
    RawTar tar = new RawTar().pax(List.of("path", "../escape")).global(List.of("path", "inside"))
        .header("file", '0', 0, USTAR).end();
    assertRefused(tar.bytes(), "global PAX header between an entry's PAX header and the entry");
  }

  /** An entry's header, ready to be read as one if a reader skips too little. */
  private static byte[] hiddenEntry() {
    return new RawTar().header("../hidden", '0', 0, USTAR).bytes();
  }

  private static void assertRefused(byte[] tar, String reason) {
    InvalidLayerException e = assertThrows(InvalidLayerException.class,
        () -> new LayerValidator("test").validate(new ByteArrayInputStream(tar)));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  private static void assertAcceptedAsCommonsCompress(byte[] tar, List<String> names) throws IOException {
    new LayerValidator("test").validate(new ByteArrayInputStream(tar));
    List<String> read = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        read.add(e.getName());
      }
    }
    assertEquals(names, read);
  }
}
