package io.imgtool.layer;

import io.imgtool.layer.TarBlock.Field;
import java.io.ByteArrayOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Writes a tar the way Go's archive/tar does for Docker, containerd and umoci (PAX format): a
 * plain USTAR header when every field fits, splitting a long name into prefix and name as USTAR
 * allows; otherwise one PAX 'x' header (path, linkpath, size, uid, gid, mtime, every xattr, with
 * raw byte values) before a USTAR header whose overflowing fields hold 0. Device numbers, which
 * have no PAX key, overflow into GNU base-256. The same headers and content give the same bytes.
 */
final class TarWriter implements Flushable {
  /** Go's archive/tar refuses to write or read PAX headers larger than this. */
  private static final int MAX_PAX_SIZE = 1 << 20;
  private static final String XATTR_KEY = "SCHILY.xattr.";
  private static final byte PAX_TYPE = 'x';
  private static final byte[] ZEROS = new byte[TarBlock.SIZE];

  private final OutputStream out;
  /** Content bytes the open entry still expects; -1 when no entry is open. */
  private long remaining = -1;
  private long padding;
  private boolean finished;

  /** Writes to {@code out}, which this writer never closes. */
  TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Starts an entry, closing the previous one; a regular file's content follows by {@link #write}. */
  void putEntry(TarHeader header) throws IOException {
    requireOpen();
    if (remaining >= 0) {
      closeEntry();
    }
    byte[] pax = paxBody(header);
    if (pax.length == 0) {
      out.write(ustarHeader(header));
    } else {
      writePaxHeader(header.name(), pax);
      out.write(mainHeader(header));
    }
    remaining = header.size();
    padding = padding(header.size());
  }

  void write(byte[] b, int off, int len) throws IOException {
    if (remaining < 0) {
      throw new IOException("no tar entry is open for content");
    }
    if (len > remaining) {
      throw new IOException("tar entry content exceeds its size by " + (len - remaining) + " bytes");
    }
    out.write(b, off, len);
    remaining -= len;
  }

  /** Ends the open entry, padding its content to a whole block. */
  void closeEntry() throws IOException {
    if (remaining > 0) {
      throw new IOException("tar entry is " + remaining + " bytes short of its size");
    }
    if (remaining == 0) {
      out.write(ZEROS, 0, (int) padding);
    }
    remaining = -1;
  }

  /** Closes any open entry and writes the end of the archive: two zero blocks, as Go does. */
  void finish() throws IOException {
    requireOpen();
    closeEntry();
    out.write(ZEROS);
    out.write(ZEROS);
    finished = true;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  private void requireOpen() throws IOException {
    if (finished) {
      throw new IOException("tar archive already finished");
    }
  }

  /** A header Go would write as plain USTAR: every field fits, the name perhaps split. */
  private static byte[] ustarHeader(TarHeader header) {
    String name = header.name();
    String[] split = name.length() > Field.NAME.length ? splitUstarPath(name) : null;
    TarBlock block = fields(header, split == null ? name : split[1]);
    if (split != null) {
      block.string(Field.PREFIX, split[0]);
    }
    return block.finish();
  }

  /** The header after a PAX header: names made ASCII and cut, fields that overflow as 0. */
  private static byte[] mainHeader(TarHeader header) {
    return fields(header, toAscii(header.name())).finish();
  }

  private static TarBlock fields(TarHeader header, String name) {
    return new TarBlock()
        .typeflag(header.type())
        .string(Field.NAME, name)
        .string(Field.LINKNAME, toAscii(header.linkName()))
        .octal(Field.MODE, header.mode())
        .octal(Field.UID, header.uid())
        .octal(Field.GID, header.gid())
        .octal(Field.SIZE, header.size())
        .octal(Field.MTIME, header.mtimeSeconds())
        .numeric(Field.DEVMAJOR, header.devMajor())
        .numeric(Field.DEVMINOR, header.devMinor());
  }

  /** The PAX records the header needs, sorted by key bytes as Go sorts; empty when none. */
  static byte[] paxBody(TarHeader header) throws IOException {
    List<byte[][]> records = new ArrayList<>();
    boolean nameFits = isAscii(header.name()) && header.name().length() <= Field.NAME.length;
    boolean numbersFit = TarBlock.fitsOctal(Field.UID, header.uid()) && TarBlock.fitsOctal(Field.GID, header.gid())
        && TarBlock.fitsOctal(Field.SIZE, header.size()) && TarBlock.fitsOctal(Field.MTIME, header.mtimeSeconds());
    if (numbersFit && header.xattrs().isEmpty() && fitsLinkName(header)
        && (nameFits || splitUstarPath(header.name()) != null)) {
      return new byte[0];
    }
    if (!nameFits) {
      records.add(record("path", utf8(header.name())));
    }
    if (!fitsLinkName(header)) {
      records.add(record("linkpath", utf8(header.linkName())));
    }
    addNumber(records, "uid", Field.UID, header.uid());
    addNumber(records, "gid", Field.GID, header.gid());
    addNumber(records, "size", Field.SIZE, header.size());
    addNumber(records, "mtime", Field.MTIME, header.mtimeSeconds());
    for (Map.Entry<String, byte[]> xattr : header.xattrs().entrySet()) {
      records.add(record(XATTR_KEY + xattr.getKey(), xattr.getValue()));
    }
    records.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
    return body(header.name(), records);
  }

  private static byte[] body(String name, List<byte[][]> records) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[][] record : records) {
      PaxRecords.append(body, record[0], record[1]);
    }
    if (body.size() > MAX_PAX_SIZE) {
      throw new IOException(name + ": PAX header of " + body.size()
          + " bytes is larger than Go's archive/tar accepts (1 MiB); too many or too large xattrs");
    }
    return body.toByteArray();
  }

  private void writePaxHeader(String name, byte[] body) throws IOException {
    byte[] header = new TarBlock()
        .typeflag(PAX_TYPE)
        .string(Field.NAME, paxHeaderName(name))
        .octal(Field.MODE, 0)
        .octal(Field.UID, 0)
        .octal(Field.GID, 0)
        .octal(Field.SIZE, body.length)
        .octal(Field.MTIME, 0)
        .finish();
    out.write(header);
    out.write(body);
    out.write(ZEROS, 0, (int) padding(body.length));
  }

  /** Go's name for an entry's PAX header: DIR/PaxHeaders.0/BASE, ASCII, cut to 100 bytes. */
  static String paxHeaderName(String name) {
    int slash = name.lastIndexOf('/');
    String dir = name.substring(0, slash + 1);
    String base = name.substring(slash + 1);
    String joined = (dir.isEmpty() ? "" : dir + "/") + "PaxHeaders.0" + (base.isEmpty() ? "" : "/" + base);
    String ascii = toAscii(cleanPath(joined));
    ascii = ascii.substring(0, Math.min(ascii.length(), Field.NAME.length));
    int end = ascii.length();
    while (end > 0 && ascii.charAt(end - 1) == '/') {
      end--;
    }
    return ascii.substring(0, end);
  }

  /** Go's path.Clean: no empty or "." elements, ".." resolved lexically. */
  static String cleanPath(String path) {
    boolean rooted = path.startsWith("/");
    Deque<String> kept = new ArrayDeque<>();
    for (String element : path.split("/")) {
      if (element.isEmpty() || element.equals(".")) {
        continue;
      }
      if (!element.equals("..")) {
        kept.addLast(element);
      } else if (!kept.isEmpty() && !kept.peekLast().equals("..")) {
        kept.removeLast();
      } else if (!rooted) {
        kept.addLast(element);
      }
    }
    String joined = String.join("/", kept);
    return rooted ? "/" + joined : joined.isEmpty() ? "." : joined;
  }

  /**
   * Go's splitUSTARPath: a long ASCII name cut at a slash into a prefix of at most 155 bytes and
   * a name of at most 100; null when no such cut exists.
   */
  static String[] splitUstarPath(String name) {
    int length = name.length();
    if (length <= Field.NAME.length || !isAscii(name)) {
      return null;
    }
    if (length > Field.PREFIX.length + 1) {
      length = Field.PREFIX.length + 1;
    } else if (name.charAt(length - 1) == '/') {
      length--;
    }
    int slash = name.lastIndexOf('/', length - 1);
    int suffix = name.length() - slash - 1;
    if (slash <= 0 || suffix > Field.NAME.length || suffix == 0 || slash > Field.PREFIX.length) {
      return null;
    }
    return new String[] {name.substring(0, slash), name.substring(slash + 1)};
  }

  private static boolean fitsLinkName(TarHeader header) {
    return isAscii(header.linkName()) && header.linkName().length() <= Field.LINKNAME.length;
  }

  private static void addNumber(List<byte[][]> records, String key, Field field, long value) {
    if (!TarBlock.fitsOctal(field, value)) {
      records.add(record(key, Long.toString(value).getBytes(StandardCharsets.US_ASCII)));
    }
  }

  private static byte[][] record(String key, byte[] value) {
    return new byte[][] {utf8(key), value};
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Go's isASCII: no byte above 0x7f (NUL is refused earlier by TarHeader). */
  private static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }

  /** Go's toASCII: drops every character outside ASCII. */
  private static String toAscii(String s) {
    StringBuilder ascii = new StringBuilder(s.length());
    s.chars().filter(c -> c < 0x80).forEach(c -> ascii.append((char) c));
    return ascii.toString();
  }

  private static long padding(long size) {
    return -size & (TarBlock.SIZE - 1);
  }
}
