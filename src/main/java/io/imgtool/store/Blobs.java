package io.imgtool.store;

import io.imgtool.image.Digest;
import io.imgtool.image.VerifyingInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;

/** Reading blobs from {@code blobs/<algorithm>/<hex>}, always checking what was read. */
final class Blobs {
  /** Larger than any manifest or config a registry accepts; guards against reading a layer. */
  static final int MAX_JSON_BLOB = 16 << 20;

  private final Layout layout;

  Blobs(Layout layout) {
    this.layout = layout;
  }

  boolean has(Digest digest) {
    return Files.isRegularFile(layout.blob(digest));
  }

  long size(Digest digest) throws IOException {
    try {
      return Files.size(layout.blob(digest));
    } catch (NoSuchFileException e) {
      throw missing(digest);
    }
  }

  /** Opens a blob; the stream checks digest and size (unless negative) when it reaches the end. */
  InputStream open(Digest digest, long size) throws IOException {
    return openFile(layout.blob(digest), digest, size, layout.root().toString());
  }

  /** Opens the file of a blob, checked as it is read; {@code where} names the store in messages. */
  static InputStream openFile(Path file, Digest digest, long size, String where) throws IOException {
    try {
      InputStream in = Files.newInputStream(file);
      return new VerifyingInputStream(new BufferedInputStream(in, 1 << 16), digest, size,
          "blob " + digest + " in the image store " + where, n -> { });
    } catch (NoSuchFileException e) {
      throw missing(digest, where);
    }
  }

  /** Reads a small blob (manifest, config, index) whole and checks its digest. */
  byte[] read(Digest digest) throws IOException {
    return read(layout.blob(digest), digest, layout.root().toString());
  }

  static byte[] read(Path file, Digest digest, String where) throws IOException {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw missing(digest, where);
    }
    if (size > MAX_JSON_BLOB) {
      throw new StoreException("blob " + digest + " in " + where + " is " + size
          + " bytes, too large for a manifest or config");
    }
    byte[] bytes = Files.readAllBytes(file);
    Digest actual = new Digest(digest.algorithm(), HexFormat.of().formatHex(
        digest.newHash().digest(bytes)));
    if (!actual.equals(digest)) {
      throw corrupt(digest, where, "its content hashes to " + actual);
    }
    return bytes;
  }

  StoreException missing(Digest digest) {
    return missing(digest, layout.root().toString());
  }

  static StoreException missing(Digest digest, String where) {
    return new StoreException("blob " + digest + " is missing from the image store " + where
        + "; pull, import or commit the image again");
  }

  static StoreException corrupt(Digest digest, String where, String why) {
    return new StoreException("blob " + digest + " in the image store " + where + " is corrupt ("
        + why + "); remove the image and pull or import it again");
  }
}
