package io.imgtool.testing;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds tar changesets for tests: {@code Tars.create().dir("etc").file("etc/x", "hi").write(path)}.
 * Names are written exactly as given (absolute ones too), so hostile layers can be made.
 */
public final class Tars {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;
  private long mtimeSeconds = 1_700_000_000L;

  private Tars() {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  public static Tars create() {
    return new Tars();
  }

  public Tars dir(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    entry.setMode(040755);
    return put(entry, null);
  }

  public Tars file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0100644);
  }

  public Tars file(String name, byte[] content) {
    return file(name, content, 0100644);
  }

  public Tars file(String name, String content, int mode) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  public Tars file(String name, byte[] content, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setMode(mode);
    entry.setSize(content.length);
    return put(entry, content);
  }

  public Tars symlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    entry.setLinkName(target);
    entry.setMode(0120777);
    return put(entry, null);
  }

  public Tars hardLink(String name, String target) {
    return hardLink(name, target, 0100644);
  }

  /**
   * A hard link whose header carries {@code mode}, as tar writers do: they stat the shared inode,
   * so the header has the target's mode. It matters: containers/storage (podman, buildah)
   * applies a link header's mode to the shared inode, umoci does not.
   */
  public Tars hardLink(String name, String target, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    entry.setLinkName(target);
    entry.setMode(mode);
    return put(entry, null);
  }

  /** A file with an owner, as a layer of a real distribution has them. */
  public Tars file(String name, String content, int mode, long uid, long gid) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    entry.setMode(mode);
    entry.setSize(bytes.length);
    entry.setUserId(uid);
    entry.setGroupId(gid);
    return put(entry, bytes);
  }

  /** A directory with its mode (setgid and sticky bits included). */
  public Tars dir(String name, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    entry.setMode(040000 | mode);
    return put(entry, null);
  }

  /** A character or block device ({@code TarConstants.LF_CHR}, {@code LF_BLK}) or a fifo ({@code LF_FIFO}). */
  public Tars node(String name, byte flag, int major, int minor) {
    TarArchiveEntry entry = new TarArchiveEntry(name, flag, true);
    entry.setMode(0666);
    entry.setDevMajor(major);
    entry.setDevMinor(minor);
    return put(entry, null);
  }

  /** The opaque marker of {@code dir}: the layers below have nothing in it. */
  public Tars opaque(String dir) {
    return file(dir + "/.wh..wh..opq", new byte[0], 0100644);
  }

  /** An OCI whiteout deleting {@code path}. */
  public Tars whiteout(String path) {
    int slash = path.lastIndexOf('/');
    return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0], 0100644);
  }

  private Tars put(TarArchiveEntry entry, byte[] content) {
    try {
      entry.setModTime(mtimeSeconds * 1000);
      tar.putArchiveEntry(entry);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public byte[] bytes() {
    try {
      tar.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path write(Path path) throws IOException {
    Files.write(path, bytes());
    return path;
  }

  public Path writeGzip(Path path) throws IOException {
    Files.write(path, gzip(bytes()));
    return path;
  }

  public Path writeZstd(Path path) throws IOException {
    Files.write(path, zstd(bytes()));
    return path;
  }

  public static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  public static byte[] zstd(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream zstd = new ZstdOutputStream(out)) {
      zstd.write(data);
    }
    return out.toByteArray();
  }

  /** Data like a filesystem's: runs of text, some repetition, some noise. Same seed, same bytes. */
  public static byte[] mixedContent(int size, long seed) {
    Random random = new Random(seed);
    byte[] data = new byte[size];
    int i = 0;
    while (i < size) {
      int run = Math.min(size - i, 1 + random.nextInt(4096));
      if (random.nextInt(4) == 0) {
        byte[] noise = new byte[run];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, data, i, run);
      } else {
        byte[] line = ("line " + random.nextInt(1000) + " of some config file = value\n")
            .getBytes(StandardCharsets.US_ASCII);
        for (int j = 0; j < run; j++) {
          data[i + j] = line[j % line.length];
        }
      }
      i += run;
    }
    return data;
  }
}
