package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * A sparse entry's content ends where its map says for Commons Compress (unpack), and where its
 * size says for the validator: the two must agree, or the validator refuses the layer. Each tar
 * here is made byte by byte, as no tar tool writes them; each accepted one must read the same in
 * Commons Compress.
 */
class SparseFramingTest {
  private static final String OLD_GNU = "ustar  \0";
  private static final String USTAR = "ustar\0" + "00";

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
    Raw tar = new Raw().header("holes", 'S', 512, USTAR).content(hiddenEntry()).end();
    assertRefused(tar.bytes(), "names 0 bytes of data where the entry stores 512");
  }

  @Test
  void readsPax0RecordsInTheirOrderAsCommonsCompress() throws IOException {
    Raw tar = new Raw()
        .pax(List.of("GNU.sparse.size", "4096", "GNU.sparse.offset", "0", "GNU.sparse.numbytes", "512",
            "GNU.sparse.offset", "3584", "GNU.sparse.numbytes", "512"))
        .header("holes", '0', 1024, USTAR).content(new byte[1024])
        .header("after", '0', 0, USTAR).end();
    assertAcceptedAsCommonsCompress(tar.bytes(), List.of("holes", "after"));
  }

  @Test
  void refusesAPax0MapThatNamesLessThanTheStoredData() {
    Raw tar = new Raw()
        .pax(List.of("GNU.sparse.size", "4096", "GNU.sparse.map", "0,512"))
        .header("holes", '0', 1024, USTAR).content(new byte[512], hiddenEntry()).end();
    assertRefused(tar.bytes(), "names 512 bytes of data where the entry stores 1024");
  }

  @Test
  void refusesAPax0MapThatCommonsCompressCannotRead() {
    Raw tar = new Raw()
        .pax(List.of("GNU.sparse.size", "4096", "GNU.sparse.map", "0,512,9"))
        .header("holes", '0', 512, USTAR).content(new byte[512]).end();
    assertRefused(tar.bytes(), "Bad format in GNU.sparse.map");
  }

  @Test
  void refusesAStarSparseEntryWhoseRealSizeIsNotItsStoredSize() {
    Raw tar = new Raw()
        .pax(List.of("SCHILY.filetype", "sparse", "SCHILY.realsize", "0"))
        .header("holes", '0', 512, USTAR).content(hiddenEntry()).end();
    assertRefused(tar.bytes(), "names 0 bytes of data where the entry stores 512");
  }

  @Test
  void refusesAnEntrySparseInTwoFormats() {
    Raw tar = new Raw()
        .pax(List.of("GNU.sparse.size", "512"))
        .header("holes", 'S', 512, OLD_GNU).content(new byte[512]).end();
    assertRefused(tar.bytes(), "sparse in more than one format");
  }

  @Test
  void refusesSparseRecordsInAGlobalHeader() {
    Raw tar = new Raw().global(List.of("GNU.sparse.size", "512"))
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
    Raw tar = new Raw()
        .pax(List.of("path", "../escape"))
        .pax(List.of("path", "inside"))
        .header("file", '0', 0, USTAR).end();
    assertRefused(tar.bytes(), "Two PAX headers for one entry");
  }

  /** An entry's header, ready to be read as one if a reader skips too little. */
  private static byte[] hiddenEntry() {
    return new Raw().header("../hidden", '0', 0, USTAR).bytes();
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

  /** A tar written block by block. */
  private static final class Raw {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Raw header(String name, char type, long size, String magic) {
      byte[] block = new byte[TarHeaderReader.BLOCK];
      put(block, 0, name);
      put(block, 100, "0000644");
      put(block, 108, "0000000");
      put(block, 116, "0000000");
      put(block, 124, String.format("%011o", size));
      put(block, 136, "00000000000");
      block[156] = (byte) type;
      put(block, 257, magic);
      TarChecksums.fix(block, 0);
      out.writeBytes(block);
      return this;
    }

    Raw pax(List<String> records) {
      return extended('x', records);
    }

    Raw global(List<String> records) {
      return extended('g', records);
    }

    Raw content(byte[]... parts) {
      int length = 0;
      for (byte[] part : parts) {
        out.writeBytes(part);
        length += part.length;
      }
      out.writeBytes(new byte[(TarHeaderReader.BLOCK - length % TarHeaderReader.BLOCK) % TarHeaderReader.BLOCK]);
      return this;
    }

    Raw end() {
      out.writeBytes(new byte[2 * TarHeaderReader.BLOCK]);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private Raw extended(char type, List<String> records) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int i = 0; i < records.size(); i += 2) {
        PaxRecords.append(body, records.get(i).getBytes(StandardCharsets.UTF_8),
            records.get(i + 1).getBytes(StandardCharsets.UTF_8));
      }
      return header("PaxHeader", type, body.size(), USTAR).content(body.toByteArray());
    }

    private static void put(byte[] block, int at, String value) {
      byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(bytes, 0, block, at, bytes.length);
    }
  }
}
