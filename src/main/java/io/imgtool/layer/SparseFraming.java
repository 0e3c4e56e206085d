package io.imgtool.layer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where a sparse entry's content ends, as Commons Compress (unpack) finds it, so that the
 * validator ({@link TarHeaderReader}) reads the next header where unpack does, or refuses the tar.
 *
 * <p>Commons Compress does not skip a sparse entry by its size: it reads the data blocks its map
 * names (all of the real size when the map names none), then pads to the record by the size.
 * GNU tar writes maps whose blocks add up to the stored size, and then both readings agree; a map
 * that says otherwise made unpack read content as headers the validator never saw (found by
 * LayerTarFuzzTest, seed oldgnu-sparse-map-empty.tar). Go's archive/tar, which containerd and
 * Docker use, refuses such an entry too, so refusing loses no layer another tool reads.
 *
 * <p>The formats: old GNU (type 'S', the map in the header and its extension blocks), PAX 0.0
 * (GNU.sparse.offset and .numbytes records) and 0.1 (GNU.sparse.map), both with GNU.sparse.size;
 * PAX 1.0 (GNU.sparse.realsize, the map at the start of the content) and star's
 * (SCHILY.filetype=sparse, no map). An entry that mixes them, and sparse records in a global
 * header, are refused: no tar writes them, and Commons Compress reads them in an order of its own.
 */
final class SparseFraming {
  static final String SIZE = "GNU.sparse.size";
  static final String REAL_SIZE = "GNU.sparse.realsize";
  static final String MAP = "GNU.sparse.map";
  static final String OFFSET = "GNU.sparse.offset";
  static final String NUMBYTES = "GNU.sparse.numbytes";
  static final String STAR_TYPE = "SCHILY.filetype";
  static final String STAR_REAL_SIZE = "SCHILY.realsize";

  enum Kind { OLD_GNU, PAX_0, PAX_1, STAR }

  private SparseFraming() {}

  /** The sparse format of an entry as Commons Compress tells it; null for none. */
  static Kind kind(String name, byte type, Map<String, String> pax) throws IOException {
    List<Kind> kinds = new ArrayList<>();
    if (type == 'S') {
      kinds.add(Kind.OLD_GNU);
    }
    if (pax.get(SIZE) != null) {
      kinds.add(Kind.PAX_0);
    }
    if (pax.get(REAL_SIZE) != null) {
      kinds.add(Kind.PAX_1);
    }
    if ("sparse".equals(pax.get(STAR_TYPE))) {
      kinds.add(Kind.STAR);
    }
    if (kinds.size() > 1) {
      throw new IOException("Corrupted TAR archive. " + name + " is sparse in more than one format " + kinds);
    }
    return kinds.isEmpty() ? null : kinds.get(0);
  }

  /** Refuses sparse records in a global PAX header: they would apply to entries unseen. */
  static void checkGlobal(Map<String, String> records) throws IOException {
    for (String key : records.keySet()) {
      if (key.startsWith("GNU.sparse.") || key.equals(STAR_TYPE)) {
        throw new IOException("Corrupted TAR archive. A global PAX header holds the sparse record " + key);
      }
    }
  }

  /** A PAX {@code int} as Commons Compress reads GNU.sparse.size and .realsize. */
  static long realSize(String key, String value) throws IOException {
    return nonNegative(key, value, true);
  }

  /** Star's real size: its record when there is one, else what the header said. */
  static long starRealSize(Map<String, String> pax, long fromHeader) throws IOException {
    String value = pax.get(STAR_REAL_SIZE);
    return value == null ? fromHeader : nonNegative(STAR_REAL_SIZE, value, false);
  }

  /** A PAX 0.1 map, "offset,numbytes[,offset,numbytes…]". */
  static List<long[]> parseMap(String map) throws IOException {
    String[] numbers = map.split(",");
    if (numbers.length % 2 == 1) {
      throw new IOException("Corrupted TAR archive. Bad format in GNU.sparse.map PAX Header");
    }
    List<long[]> blocks = new ArrayList<>();
    for (int i = 0; i < numbers.length; i += 2) {
      blocks.add(new long[] {number(numbers[i], MAP), number(numbers[i + 1], MAP)});
    }
    return blocks;
  }

  /**
   * Checks the map against the real size as Commons Compress does (blocks neither overlapping nor
   * ending past it), then that the data it reads is what the entry stores: {@code stored} is the
   * entry's size less a PAX 1.0 map's bytes, or -1 for a directory, whose content is not read.
   */
  static void check(String name, List<long[]> map, long realSize, long stored) throws IOException {
    List<long[]> blocks = new ArrayList<>(map);
    blocks.removeIf(block -> block[0] == 0 && block[1] == 0);
    blocks.sort(Comparator.comparingLong(block -> block[0]));
    long data = 0;
    for (int i = 0; i < blocks.size(); i++) {
      long end = blocks.get(i)[0] + blocks.get(i)[1];
      if (i + 1 < blocks.size() && end > blocks.get(i + 1)[0]) {
        throw new IOException("Corrupted TAR archive. Sparse blocks for " + name + " overlap each other.");
      }
      if (end < 0) {
        throw new IOException("Unreadable TAR archive. Offset and numbytes for sparse block in " + name + " too large.");
      }
      if (end > realSize) {
        throw new IOException("Corrupted TAR archive. Sparse block extends beyond real size of the entry " + name);
      }
      data += blocks.get(i)[1];
    }
    long read = blocks.isEmpty() ? realSize : data;
    if (stored >= 0 && read != stored) {
      throw new IOException("Corrupted TAR archive. The sparse map of " + name + " names " + read
          + " bytes of data where the entry stores " + stored);
    }
  }

  static long number(String value, String key) throws IOException {
    return nonNegative(key, value, false);
  }

  private static long nonNegative(String key, String value, boolean asInt) throws IOException {
    try {
      long n = asInt ? Integer.parseInt(value) : Long.parseLong(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IOException("Corrupted PAX header: invalid " + key + " \"" + value + "\"");
  }

  /**
   * PAX 0.0's blocks, paired as Commons Compress pairs the records in order: an offset waits for
   * the numbytes after it (an offset without one is a block of none); numbytes without an offset
   * before it is refused.
   */
  static final class Pax0Blocks {
    private final List<long[]> blocks = new ArrayList<>();
    private Long offset;

    void accept(String key, String value) throws IOException {
      if (key.equals(OFFSET)) {
        flush();
        offset = number(value, OFFSET);
      } else if (key.equals(NUMBYTES)) {
        if (offset == null) {
          throw new IOException("Corrupted PAX header: " + NUMBYTES + " without " + OFFSET + " before it");
        }
        blocks.add(new long[] {offset, number(value, NUMBYTES)});
        offset = null;
      }
    }

    List<long[]> blocks() {
      flush();
      return blocks;
    }

    private void flush() {
      if (offset != null) {
        blocks.add(new long[] {offset, 0});
        offset = null;
      }
    }
  }
}
