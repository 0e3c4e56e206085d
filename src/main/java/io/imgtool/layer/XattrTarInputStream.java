package io.imgtool.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader that also keeps each entry's xattrs as raw bytes. Commons Compress decodes PAX
 * values as UTF-8, which corrupts binary xattrs; it parses a PAX header by reading its data
 * through this stream while that header is the current entry, so those reads are copied aside
 * and parsed here again, byte for byte. Only reads made inside getNextEntry while the current
 * entry is a PAX header count: an entry's content, even a tar itself, cannot add xattrs.
 */
final class XattrTarInputStream extends TarArchiveInputStream {
  private static final String SCHILY = "SCHILY.xattr.";
  /** bsdtar's form: the name URL-encoded, the value base64. */
  private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

  private final byte[] single = new byte[1];
  /** Nesting of getNextEntry: Commons Compress reads the entry after a PAX header recursively. */
  private int depth;
  /** The PAX header bodies read while finding the current entry, in order. */
  private final List<Capture> captures = new ArrayList<>();
  /** Xattr records of global ('g') headers so far; they apply to every later entry. */
  private final Map<String, byte[]> globalRecords = new HashMap<>();
  private SortedMap<String, byte[]> xattrs = Collections.emptySortedMap();

  /** One PAX header's body, captured while its entry was current. */
  private record Capture(TarArchiveEntry header, ByteArrayOutputStream body) {}

  /** Entry names decoded as UTF-8, as layers write them. */
  XattrTarInputStream(InputStream in) {
    super(in, StandardCharsets.UTF_8.name());
  }

  /**
   * The current entry's xattrs, by full name ("security.capability"), with raw values: global
   * records overridden by the entry's own. Empty before the first entry and after the last.
   */
  SortedMap<String, byte[]> xattrs() {
    return xattrs;
  }

  @Override
  public TarArchiveEntry getNextEntry() throws IOException {
    enter();
    try {
      return exit(super.getNextEntry());
    } finally {
      depth--;
    }
  }

  @Deprecated
  @Override
  public TarArchiveEntry getNextTarEntry() throws IOException {
    enter();
    try {
      return exit(super.getNextTarEntry());
    } finally {
      depth--;
    }
  }

  @Override
  public int read() throws IOException {
    int n = read(single, 0, 1); // through the capturing read, whatever the superclass does
    return n < 0 ? -1 : single[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0 && depth > 0) {
      capture(buffer, offset, n);
    }
    return n;
  }

  /** A nested call reads the entry a header (PAX, GNU long name) amends: that header is checked first. */
  private void enter() throws IOException {
    if (depth++ == 0) {
      captures.clear();
      xattrs = Collections.emptySortedMap();
    } else {
      checkSum(getCurrentEntry());
    }
  }

  /** At the outermost return, turns the captured headers into the entry's xattrs. */
  private TarArchiveEntry exit(TarArchiveEntry entry) throws IOException {
    checkSum(entry);
    if (depth == 1 && entry != null) {
      xattrs = resolve(entry);
    }
    return entry;
  }

  /**
   * Commons Compress reads a header whose checksum is wrong as if it were right; GNU tar and
   * Python refuse it, and so does imgtool: a flipped bit in a mode or size is not taken as data.
   * Commons Compress's check accepts the signed sum old tars wrote, as GNU tar does.
   */
  private static void checkSum(TarArchiveEntry header) throws IOException {
    if (header != null && !header.isCheckSumOK()) {
      throw new TarChecksum.MismatchException(header.getName());
    }
  }

  private void capture(byte[] buffer, int offset, int n) {
    TarArchiveEntry current = getCurrentEntry();
    if (current == null || !(current.isPaxHeader() || current.isGlobalPaxHeader())) {
      return;
    }
    if (captures.isEmpty() || captures.get(captures.size() - 1).header() != current) {
      captures.add(new Capture(current, new ByteArrayOutputStream()));
    }
    captures.get(captures.size() - 1).body().write(buffer, offset, n);
  }

  /**
   * Global headers update the global records in order; the entry's own header then applies over
   * them. An empty value deletes the key, as POSIX says (Commons Compress keeps a global value
   * in getExtraPaxHeaders even so).
   */
  private SortedMap<String, byte[]> resolve(TarArchiveEntry entry) throws IOException {
    for (Capture capture : captures) {
      if (capture.header().isGlobalPaxHeader()) {
        apply(capture, globalRecords);
      }
    }
    Map<String, byte[]> records = new HashMap<>(globalRecords);
    Capture local = null;
    for (Capture capture : captures) {
      if (capture.header().isPaxHeader()) {
        if (local != null) { // Go keeps the last, Commons Compress mostly the first
          throw new IOException("entry \"" + entry.getName()
              + "\" has two PAX headers; tar readers disagree on which counts");
        }
        local = capture;
        apply(capture, records);
      }
    }
    captures.clear();
    return records.isEmpty() ? Collections.emptySortedMap() : decode(records);
  }

  private static void apply(Capture capture, Map<String, byte[]> records) throws IOException {
    byte[] body = capture.body().toByteArray();
    PaxRecords.parse(body, body.length, (key, value) -> {
      if (!key.startsWith(SCHILY) && !key.startsWith(LIBARCHIVE)) {
        return;
      }
      if (value.length == 0) {
        records.remove(key);
      } else {
        records.put(key, value);
      }
    });
  }

  /** Turns SCHILY and LIBARCHIVE xattr records into names and values; SCHILY wins a tie. */
  private static SortedMap<String, byte[]> decode(Map<String, byte[]> records) throws IOException {
    SortedMap<String, byte[]> xattrs = new TreeMap<>();
    for (Map.Entry<String, byte[]> record : records.entrySet()) {
      String key = record.getKey();
      if (key.startsWith(LIBARCHIVE)) {
        String name = urlDecode(key.substring(LIBARCHIVE.length()));
        xattrs.putIfAbsent(name, base64(key, record.getValue()));
      }
    }
    for (Map.Entry<String, byte[]> record : records.entrySet()) {
      if (record.getKey().startsWith(SCHILY)) {
        xattrs.put(record.getKey().substring(SCHILY.length()), record.getValue());
      }
    }
    return Collections.unmodifiableSortedMap(xattrs);
  }

  private static byte[] base64(String key, byte[] value) throws IOException {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed PAX header: " + key + " is not base64", e);
    }
  }

  /** libarchive's encoding: %XX for bytes outside printable ASCII, '%' and '='. */
  private static String urlDecode(String encoded) throws IOException {
    byte[] in = encoded.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      if (in[i] != '%') {
        out.write(in[i]);
        continue;
      }
      int high = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
      int low = high >= 0 ? Character.digit(in[i + 2], 16) : -1;
      if (low < 0) {
        throw new IOException("malformed PAX header: bad %-escape in " + LIBARCHIVE + encoded);
      }
      out.write(high << 4 | low);
      i += 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
