package io.imgtool.layer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses layer tars that could escape the root they are unpacked into, or that are not tars at
 * all. {@link #validate} reads the whole uncompressed stream, so a tee below it sees every byte.
 */
public final class LayerValidator {
  private static final int RECORD_SIZE = 512;

  private final String source;

  /** {@code source} names the layer in messages: a file path, or "-" for standard input. */
  public LayerValidator(String source) {
    this.source = source;
  }

  /**
   * Parses every entry of the uncompressed tar {@code tar}, checks each with {@link #check}, then
   * reads the rest of the stream (end-of-archive blocks, padding) to its end.
   *
   * @return the number of entries
   * @throws InvalidLayerException when an entry is refused or the data is not a complete tar
   */
  public long validate(InputStream tar) {
    CountingInputStream counted = new CountingInputStream(tar);
    String lastEntry = null;
    long entries = 0;
    try {
      TarHeaderReader parser = new TarHeaderReader(counted);
      for (TarHeaderReader.Entry entry; (entry = parser.next()) != null; entries++) {
        lastEntry = entry.name();
        check(entry);
      }
      counted.drain();
    } catch (IOException e) {
      throw unreadable(e, lastEntry);
    }
    requireWholeRecords(counted.count(), entries);
    return entries;
  }

  /** Refuses an entry that is hostile or malformed; returns normally for an acceptable one. */
  void check(TarHeaderReader.Entry entry) {
    String name = entry.name();
    checkPath(name);
    checkWhiteout(name, LayerPath.clean(name));
    if (entry.isHardLink()) {
      checkHardLink(name, entry.linkName());
    } else if (entry.isSymbolicLink()) {
      checkSymlink(name, entry.linkName());
    }
  }

  private void checkPath(String name) {
    if (name.isEmpty()) {
      throw refused(name, "empty entry name");
    }
    if (LayerPath.isAbsolute(name)) {
      throw refused(name, "absolute path; layer entries must be relative to the root");
    }
    if (LayerPath.hasParentComponent(name)) {
      throw refused(name, "path contains \"..\" and could escape the root");
    }
  }

  private void checkWhiteout(String name, String path) {
    if (!Whiteout.isWhiteout(path) || Whiteout.isOpaque(path)) {
      return;
    }
    String target = LayerPath.baseName(path).substring(Whiteout.PREFIX.length());
    if (target.isEmpty() || target.equals(".") || target.equals("..")) {
      throw refused(name, "whiteout without a file name");
    }
    if (target.startsWith(Whiteout.PREFIX)) {
      throw refused(name, "whiteout of a whiteout (only " + Whiteout.OPAQUE + " may start so)");
    }
  }

  private void checkHardLink(String name, String target) {
    if (LayerPath.isAbsolute(target)) {
      throw refused(name, "hard link to absolute path \"" + target + "\"; link targets are relative to the root");
    }
    if (LayerPath.hasParentComponent(target)) {
      throw refused(name, "hard link target \"" + target + "\" contains \"..\" and could escape the root");
    }
    if (LayerPath.clean(target).isEmpty()) {
      throw refused(name, "hard link to the root directory");
    }
  }

  /**
   * A symlink's target is data: any target is kept, one that climbs above the root included
   * ({@code docker export} makes them; ".." at the root stays at the root). Only an empty target
   * is refused, because no filesystem can hold that link.
   */
  private void checkSymlink(String name, String target) {
    if (target.isEmpty()) {
      throw refused(name, "symbolic link with an empty target");
    }
  }

  private void requireWholeRecords(long length, long entries) {
    if (length == 0) {
      throw new InvalidLayerException(source, "empty input, not a tar archive");
    }
    if (length % RECORD_SIZE != 0) {
      String what = entries == 0 ? "not a tar archive" : "truncated tar archive";
      throw new InvalidLayerException(source,
          what + " (" + length + " bytes is not a whole number of 512-byte records)");
    }
  }

  private InvalidLayerException unreadable(IOException e, String lastEntry) {
    String where = lastEntry == null ? "" : " after entry \"" + lastEntry + "\"";
    if (e instanceof EOFException || String.valueOf(e.getMessage()).contains("Truncated")) {
      return new InvalidLayerException(source, "unexpected end of data" + where + ": the tar is truncated", e);
    }
    if (lastEntry == null) {
      return new InvalidLayerException(source, "not a tar archive (" + e.getMessage() + ")", e);
    }
    return new InvalidLayerException(source, "corrupt tar data" + where + " (" + e.getMessage() + ")", e);
  }

  private InvalidLayerException refused(String name, String reason) {
    return new InvalidLayerException(source, name, reason);
  }
}
