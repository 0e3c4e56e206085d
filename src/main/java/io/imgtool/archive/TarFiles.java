package io.imgtool.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An uncompressed tar file read in place: its headers indexed once, each file opened where it
 * lies, so a multi-gigabyte archive is never copied to read one image of it.
 */
final class TarFiles implements ArchiveFiles {
  private final TarFile tar;
  private final String name;
  private final ArchiveLinks<TarArchiveEntry> entries = new ArchiveLinks<>();

  private TarFiles(TarFile tar, String name) {
    this.tar = tar;
    this.name = name;
    for (TarArchiveEntry entry : tar.getEntries()) {
      TarHeaderChecksum.require(entry, name);
      String path = ArchivePaths.clean(entry.getName());
      if (entry.isFile()) {
        entries.file(path, entry);
      } else if (entry.isSymbolicLink() || entry.isLink()) {
        entries.link(path, entry.getLinkName(), entry.isSymbolicLink());
      }
    }
  }

  static TarFiles open(Path file) throws IOException {
    TarFile tar;
    try {
      tar = new TarFile(file);
    } catch (IOException e) {
      throw new ArchiveException(file + " is not a tar archive (" + e.getMessage() + ")", e);
    }
    try {
      return new TarFiles(tar, file.toString());
    } catch (RuntimeException e) {
      tar.close();
      throw e;
    }
  }

  @Override
  public boolean exists(String path) {
    return entries.find(path) != null;
  }

  @Override
  public InputStream open(String path) throws IOException {
    TarArchiveEntry entry = entries.find(path);
    if (entry == null) {
      throw new NoSuchFileException(path, null, "not in " + name);
    }
    return new Locked(tar.getInputStream(entry), tar);
  }

  /**
   * A file's stream whose reads hold the archive's lock: Commons Compress reads every entry
   * through the one channel, setting its position before each read, so files read side by side
   * (layers checked in parallel) would otherwise read at each other's positions.
   */
  private static final class Locked extends FilterInputStream {
    private final Object lock;

    Locked(InputStream in, Object lock) {
      super(in);
      this.lock = lock;
    }

    @Override
    public int read() throws IOException {
      synchronized (lock) {
        return super.read();
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      synchronized (lock) {
        return super.read(buffer, offset, length);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      synchronized (lock) {
        return super.skip(n);
      }
    }
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  @Override
  public String toString() {
    return name;
  }
}
