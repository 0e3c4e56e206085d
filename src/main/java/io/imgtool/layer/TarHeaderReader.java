package io.imgtool.layer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Walks a tar by its headers alone: each entry's name, link target and type, with what amends
 * them applied as Commons Compress applies it (POSIX ustar prefixes, PAX {@code path},
 * {@code linkpath} and {@code size} records, global ones too, GNU long names, old GNU sparse
 * headers). Content is skipped by reading it, so the streams below see every byte. Where Commons
 * Compress draws an entry's boundaries or refuses a header (a name ending in '/' has no content;
 * old GNU header fields and sparse maps), it does the same, so that import checks every entry that
 * unpack applies and accepts no tar that unpack then cannot read.
 *
 * <p>{@link LayerValidator} uses it instead of Commons Compress, which reads a PAX header a byte at
 * a time and allocates a buffer on every skip: on a Debian tree, which has a PAX header per file,
 * that cost more CPU than deflating the layer.
 */
final class TarHeaderReader {
  static final int BLOCK = 512;
  private static final int NAME = 0;
  private static final int MODE = 100;
  private static final int UID = 108;
  private static final int GID = 116;
  private static final int SIZE = 124;
  private static final int MTIME = 136;
  private static final int CHECKSUM = 148;
  private static final int TYPE = 156;
  private static final int LINK_NAME = 157;
  private static final int MAGIC = 257;
  private static final int DEV_MAJOR = 329;
  private static final int DEV_MINOR = 337;
  private static final int PREFIX = 345;
  private static final int OLD_GNU_ATIME = 345;
  private static final int OLD_GNU_CTIME = 357;
  private static final int OLD_GNU_SPARSE = 386;
  private static final int OLD_GNU_REAL_SIZE = 483;
  private static final int OLD_GNU_EXTENDED = 482;
  private static final int SPARSE_EXTENDED = 504;
  /** The PAX records Commons Compress reads as numbers, refusing the tar when they are not. */
  private static final Set<String> PAX_NUMBERS = Set.of("uid", "gid", "mtime", "atime", "ctime",
      "LIBARCHIVE.creationtime", "SCHILY.devmajor", "SCHILY.devminor");

  /** An entry: its type is the tar typeflag byte. */
  record Entry(String name, String linkName, byte type) {
    boolean isHardLink() {
      return type == '1';
    }

    boolean isSymbolicLink() {
      return type == '2';
    }
  }

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private final byte[] scratch = new byte[64 * 1024];
  private final Map<String, String> global = new HashMap<>();

  TarHeaderReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, its content skipped; null at the end of the archive. */
  Entry next() throws IOException {
    Map<String, String> pax = new HashMap<>(global);
    SparseFraming.Pax0Blocks pax0 = new SparseFraming.Pax0Blocks();
    boolean localPax = false;
    String longName = null;
    String longLink = null;
    while (readHeader()) {
      byte type = header[TYPE];
      long size = number(SIZE, 12, "size");
      switch (type) {
        case 'x', 'X' -> {
          if (localPax) {
            // Commons Compress lets the first of two win, record by record: no tar writes two
            throw new IOException("Corrupted TAR archive. Two PAX headers for one entry");
          }
          localPax = true;
          pax.putAll(PaxValues.parse(readContent(size), pax0));
        }
        case 'g' -> {
          if (localPax) {
            // Commons Compress lets the entry's own records win over the global ones after them
            throw new IOException("Corrupted TAR archive. A global PAX header between an entry's PAX header and the entry");
          }
          Map<String, String> records = PaxValues.parse(readContent(size), new SparseFraming.Pax0Blocks());
          SparseFraming.checkGlobal(records);
          global.putAll(records);
          pax.putAll(records);
        }
        case 'L' -> longName = once(longName, cString(readContent(size)), "GNU long names");
        case 'K' -> longLink = once(longLink, cString(readContent(size)), "GNU long link names");
        default -> {
          String paxSize = pax.get("size");
          // Commons Compress replaces an old GNU header's own map when PAX records apply to it
          boolean headerMap = !localPax && global.isEmpty();
          return entry(type, paxSize != null ? paxSize(paxSize) : size, pax, pax0.blocks(), headerMap,
              longName, longLink);
        }
      }
    }
    return null;
  }

  /**
   * An entry, its content skipped where Commons Compress skips it. {@code paxBlocks} are the
   * blocks of its PAX 0.0 records; {@code headerMap} whether an old GNU header's own map counts
   * (no PAX records apply to the entry).
   */
  private Entry entry(byte type, long size, Map<String, String> pax, List<long[]> paxBlocks, boolean headerMap,
      String longName, String longLink) throws IOException {
    checkPaxNumbers(pax);
    if (longName != null && firstOf(sparseName(pax), pax.get("path")) != null) {
      throw new IOException("Corrupted TAR archive. An entry named by both a GNU long name and a PAX record");
    }
    if (longLink != null && pax.get("linkpath") != null) {
      throw new IOException("Corrupted TAR archive. A link target given by both a GNU long link name and a PAX record");
    }
    String name = relative(firstOf(sparseName(pax), pax.get("path"), longName));
    if (name == null) {
      name = headerName();
    }
    String linkName = firstOf(pax.get("linkpath"), longLink);
    if (linkName == null) {
      linkName = string(LINK_NAME, 100);
    }
    SparseFraming.Kind sparse = SparseFraming.kind(name, type, pax);
    List<long[]> map = new ArrayList<>();
    long realSize = 0;
    if (sparse == SparseFraming.Kind.OLD_GNU) {
      realSize = readOldGnuSparseMap(headerMap, map);
    }
    // Commons Compress reads no content for a directory, whatever its size, and a name that ends
    // in '/' makes any entry a directory: skipping its size would hide the headers unpack reads.
    boolean directory = type == '5' || name.endsWith("/");
    long content = directory ? 0 : padded(size);
    long mapBytes = 0;
    if (sparse == SparseFraming.Kind.PAX_1) {
      mapBytes = readPax1SparseMap(name, content, map);
      content -= mapBytes;
      realSize = SparseFraming.realSize(SparseFraming.REAL_SIZE, pax.get(SparseFraming.REAL_SIZE));
    } else if (sparse == SparseFraming.Kind.PAX_0) {
      String pax01 = pax.get(SparseFraming.MAP);
      map = pax01 != null ? SparseFraming.parseMap(pax01) : paxBlocks;
      realSize = SparseFraming.realSize(SparseFraming.SIZE, pax.get(SparseFraming.SIZE));
    } else if (sparse == SparseFraming.Kind.STAR) {
      realSize = SparseFraming.starRealSize(pax, oldGnuRealSize());
    }
    if (sparse != null) {
      SparseFraming.check(name, map, realSize, directory ? -1 : size - mapBytes);
    }
    skip(content);
    return new Entry(name, linkName, type);
  }

  /**
   * Reads a PAX 1.0 sparse entry's map, the decimal lines at the start of its content (a count,
   * then an offset and a size per block), and refuses one Commons Compress cannot read: a byte
   * that is not a digit, the input ending, a number too large. Commons Compress then skips to the
   * next 512-byte boundary (a whole block when the map ends on one). Returns the bytes taken; a map
   * that does not fit in the entry's content is refused too, as unpack would read past it. Its
   * blocks are added to {@code map}.
   */
  private long readPax1SparseMap(String name, long content, List<long[]> map) throws IOException {
    long[] taken = {0};
    long blocks = pax1Number(name, content, taken);
    for (long i = 0; i < blocks; i++) { // each number takes a byte at least: the content bounds this
      map.add(new long[] {pax1Number(name, content, taken), pax1Number(name, content, taken)});
    }
    long total = taken[0] + BLOCK - taken[0] % BLOCK;
    if (total > content) {
      throw new IOException("Corrupted TAR archive. The sparse map of " + name + " is longer than its content");
    }
    skip(total - taken[0]);
    return total;
  }

  private long pax1Number(String name, long content, long[] taken) throws IOException {
    long value = 0;
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (++taken[0] >= content) {
        throw new IOException("Corrupted TAR archive. The sparse map of " + name + " is longer than its content");
      }
      if (c < 0) {
        throw new EOFException("Unexpected EOF when reading parse information of 1.X PAX format");
      }
      if (c < '0' || c > '9') {
        throw new IOException("Corrupted TAR archive. Non-numeric value in sparse headers block");
      }
      try {
        value = Math.addExact(Math.multiplyExact(value, 10), c - '0');
      } catch (ArithmeticException e) {
        throw new IOException("Corrupted TAR archive. Negative value in sparse headers block", e);
      }
    }
    taken[0]++;
    return value;
  }

  /**
   * Reads the next header; false at the end of the input, at a partial block (the caller's count
   * of whole records tells that apart, as with Commons Compress) or at an end-of-archive block.
   */
  private boolean readHeader() throws IOException {
    if (in.readNBytes(header, 0, BLOCK) < BLOCK || isZero(header)) {
      return false;
    }
    if (!checksumMatches()) {
      throw new IOException(TarChecksum.mismatch(string(NAME, 100)));
    }
    checkNumbers();
    return true;
  }

  /** The numeric fields Commons Compress refuses a header for, when they are not numbers. */
  private void checkNumbers() throws IOException {
    number(MODE, 8, "mode");
    number(UID, 8, "uid");
    number(GID, 8, "gid");
    number(MTIME, 12, "mtime");
    if (string(MAGIC, 5).equals("ustar")) {
      number(DEV_MAJOR, 8, "devmajor");
      number(DEV_MINOR, 8, "devminor");
    }
    if (isOldGnu()) {
      checkOldGnuFields();
    }
  }

  /** Unsigned sum with the checksum field as spaces; the signed sum too, as old tars wrote it. */
  private boolean checksumMatches() throws IOException {
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = i >= CHECKSUM && i < CHECKSUM + 8 ? (byte) ' ' : header[i];
      unsigned += b & 0xff;
      signed += b;
    }
    long stored;
    try {
      stored = octal(CHECKSUM, 8);
    } catch (IOException e) {
      return false;
    }
    return stored == unsigned || stored == signed;
  }

  /**
   * The name field with the prefix field before it, as Commons Compress joins them: for every
   * header but an old GNU one (magic "ustar "), a v7 header or an unknown magic included.
   */
  private String headerName() {
    String name = string(NAME, 100);
    if (string(MAGIC, 6).equals("ustar ")) {
      return name;
    }
    boolean posix = string(MAGIC, 6).equals("ustar");
    boolean xstar = posix && header[508] == 't' && header[509] == 'a' && header[510] == 'r' && header[511] == 0;
    String prefix = string(PREFIX, xstar ? 131 : 155);
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /**
   * A PAX sparse entry's real name: Commons Compress takes GNU.sparse.name only along with the
   * record that makes the entry sparse (GNU.sparse.size, format 0.x; GNU.sparse.realsize, 1.0),
   * and otherwise keeps the header's name (found by LayerTarFuzzTest: the seed
   * pax-sparse-name-without-size.tar, where unpack wrote a name the validator never checked).
   */
  private static String sparseName(Map<String, String> pax) {
    boolean sparse = pax.get("GNU.sparse.size") != null || pax.get("GNU.sparse.realsize") != null;
    return sparse ? pax.get("GNU.sparse.name") : null;
  }

  /**
   * Refuses a second name of one kind for one entry. Commons Compress (unpack) takes the first
   * of two GNU long names, and of a long name and a PAX path the one that comes first; GNU tar
   * and Go take the last long name, and the long name over a PAX path: import would check a name
   * that is not the one written. No tar writes two (found by LayerTarFuzzTest, seed
   * two-gnu-long-names.tar).
   */
  private static String once(String earlier, String name, String what) throws IOException {
    if (earlier != null) {
      throw new IOException("Corrupted TAR archive. Two " + what + " for one entry");
    }
    return name;
  }

  private static String firstOf(String... values) {
    for (String value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** Commons Compress removes leading slashes from names set by PAX records or GNU long names. */
  private static String relative(String name) {
    if (name == null) {
      return null;
    }
    int start = 0;
    while (start < name.length() && name.charAt(start) == '/') {
      start++;
    }
    return name.substring(start);
  }

  /**
   * Reads an old GNU sparse entry's map into {@code map}: its header's (unless PAX records replaced
   * it, {@code headerMap} false), then its extension blocks'. Returns the real size the header
   * gives; {@link SparseFraming#check} checks the map against it. The header's own map fields were
   * checked as numbers by {@link #checkOldGnuFields}.
   */
  private long readOldGnuSparseMap(boolean headerMap, List<long[]> map) throws IOException {
    if (!isOldGnu()) {
      return 0; // Commons Compress reads a map and a real size from old GNU headers only
    }
    if (headerMap) {
      readSparseBlocks(header, OLD_GNU_SPARSE, 4, map);
    }
    boolean extended = header[OLD_GNU_EXTENDED] == 1;
    long realSize = oldGnuRealSize();
    byte[] extension = new byte[BLOCK];
    while (extended) {
      if (in.readNBytes(extension, 0, BLOCK) < BLOCK) {
        throw new EOFException("Truncated tar archive: an old GNU sparse header");
      }
      readSparseBlocks(extension, 0, 21, map);
      extended = extension[SPARSE_EXTENDED] == 1;
    }
    return realSize;
  }

  /** The real size an old GNU header gives, as Commons Compress reads it; 0 for other headers. */
  private long oldGnuRealSize() throws IOException {
    return isOldGnu() ? octalField(OLD_GNU_REAL_SIZE, 12, "realsize") : 0;
  }

  private void readSparseBlocks(byte[] block, int offset, int count, List<long[]> blocks)
      throws IOException {
    for (int i = 0; i < count; i++) {
      int at = offset + i * 24;
      blocks.add(new long[] {number(block, at, 12, "sparse offset"), number(block, at + 12, 12, "sparse numbytes")});
    }
  }

  /** An old GNU header as Commons Compress tells it: by the magic "ustar ", whatever the version. */
  private boolean isOldGnu() {
    return string(MAGIC, 6).equals("ustar ");
  }

  /**
   * The fields Commons Compress parses in every old GNU header (GNU tar's default format), sparse
   * or not, refusing the archive when one is not a number: found by fuzzing, a header whose real
   * size held 0xff bytes imported, and unpack then failed.
   */
  private void checkOldGnuFields() throws IOException {
    number(OLD_GNU_ATIME, 12, "atime");
    number(OLD_GNU_CTIME, 12, "ctime");
    for (int i = 0; i < 4; i++) {
      number(OLD_GNU_SPARSE + i * 24, 12, "sparse offset");
      number(OLD_GNU_SPARSE + i * 24 + 12, 12, "sparse numbytes");
    }
    octalField(OLD_GNU_REAL_SIZE, 12, "realsize");
  }

  private long octalField(int offset, int length, String field) throws IOException {
    try {
      return octal(offset, length);
    } catch (IOException e) {
      throw new IOException("Invalid byte in the " + field + " field", e);
    }
  }

  private byte[] readContent(long size) throws IOException {
    if (size > 16 << 20) {
      throw new IOException("a " + size + "-byte extended header is too large");
    }
    byte[] content = in.readNBytes((int) size);
    if (content.length < size) {
      throw new EOFException("Truncated tar archive: an extended header");
    }
    skip(padded(size) - size);
    return content;
  }

  private void skip(long n) throws IOException {
    while (n > 0) {
      int read = in.read(scratch, 0, (int) Math.min(scratch.length, n));
      if (read < 0) {
        throw new EOFException("Truncated tar archive: an entry's content ends early");
      }
      n -= read;
    }
  }

  private static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  /** An octal field (NULs and spaces around it), or base-256 when its first byte has the high bit. */
  private long number(int offset, int length, String field) throws IOException {
    return number(header, offset, length, field);
  }

  private static long number(byte[] header, int offset, int length, String field) throws IOException {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        if (value >>> 55 != 0) {
          throw new IOException("the " + field + " field is too large");
        }
        value = value << 8 | header[offset + i] & 0xff;
      }
      return value;
    }
    try {
      return octal(header, offset, length);
    } catch (IOException e) {
      throw new IOException("Invalid byte in the " + field + " field", e);
    }
  }

  private long octal(int offset, int length) throws IOException {
    return octal(header, offset, length);
  }

  /** As Commons Compress reads it: a field that starts with NUL is 0, whatever follows. */
  private static long octal(byte[] header, int offset, int length) throws IOException {
    if (header[offset] == 0) {
      return 0;
    }
    int end = offset + length;
    int i = offset;
    while (i < end && header[i] == ' ') {
      i++;
    }
    long value = 0;
    for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
      int digit = header[i] - '0';
      if (digit < 0 || digit > 7) {
        throw new IOException("not an octal number");
      }
      value = value << 3 | digit;
    }
    for (; i < end; i++) {
      if (header[i] != 0 && header[i] != ' ') {
        throw new IOException("not an octal number");
      }
    }
    return value;
  }

  /**
   * Refuses what unpack would refuse: a PAX time, owner or device number that Commons Compress
   * cannot read (an mtime of "12x" imported, and then no unpack or diff could read the layer).
   * Its own parser decides, through a scratch entry, so the two cannot disagree.
   */
  private static void checkPaxNumbers(Map<String, String> pax) throws IOException {
    TarArchiveEntry scratch = null;
    for (Map.Entry<String, String> record : pax.entrySet()) {
      if (record.getValue() == null || !PAX_NUMBERS.contains(record.getKey())) {
        continue;
      }
      scratch = scratch != null ? scratch : new TarArchiveEntry("pax");
      try {
        scratch.addPaxHeader(record.getKey(), record.getValue());
      } catch (IllegalArgumentException e) {
        throw new IOException("Corrupted PAX header: invalid " + record.getKey() + " \""
            + record.getValue() + "\"", e);
      }
    }
  }

  private static long paxSize(String value) throws IOException {
    try {
      long size = Long.parseLong(value);
      if (size < 0) {
        throw new NumberFormatException();
      }
      return size;
    } catch (NumberFormatException e) {
      throw new IOException("Corrupted PAX header: invalid size " + value);
    }
  }

  private String string(int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String cString(byte[] bytes) {
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * PAX records as strings (the keys that name and size an entry are text); null deletes a key.
   * PAX 0.0's sparse records repeat, so they go to {@code pax0} in their order as well.
   */
  private static final class PaxValues {
    private PaxValues() {}

    static Map<String, String> parse(byte[] body, SparseFraming.Pax0Blocks pax0) throws IOException {
      Map<String, String> values = new HashMap<>();
      PaxRecords.parse(body, body.length, (key, value) -> {
        String text = value.length == 0 ? null : new String(value, StandardCharsets.UTF_8);
        values.put(key, text);
        if (text != null) {
          pax0.accept(key, text);
        }
      });
      return values;
    }
  }
}
