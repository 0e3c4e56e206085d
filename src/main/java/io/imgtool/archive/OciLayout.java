package io.imgtool.archive;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Index;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import io.imgtool.image.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An OCI image layout read from an archive's files: {@code oci-layout}, {@code index.json} and
 * {@code blobs/ALGORITHM/HEX}, every blob checked against its digest as it is read.
 */
public final class OciLayout {
  public static final String OCI_LAYOUT = "oci-layout";
  public static final String INDEX = "index.json";
  /** Larger than any manifest, index or config a registry accepts. */
  public static final int MAX_DOCUMENT = 16 << 20;

  private final ArchiveFiles files;
  private final List<Descriptor> entries;

  private OciLayout(ArchiveFiles files, List<Descriptor> entries) {
    this.files = files;
    this.entries = entries;
  }

  public static boolean isLayout(ArchiveFiles files) {
    return files.exists(OCI_LAYOUT) && files.exists(INDEX);
  }

  public static OciLayout read(ArchiveFiles files) throws IOException {
    if (!isLayout(files)) {
      throw new ArchiveException(files + " is not an OCI image layout: it has no " + OCI_LAYOUT + " and "
          + INDEX);
    }
    String version = Json.text(Json.parseObject(files.read(OCI_LAYOUT, 4096), OCI_LAYOUT), "imageLayoutVersion");
    if (version == null || !version.startsWith("1.")) {
      throw new ArchiveException(files + " is an OCI image layout of version " + version
          + "; imgtool reads version 1.x");
    }
    try {
      return new OciLayout(files, Index.parse(files.read(INDEX, MAX_DOCUMENT)).manifests());
    } catch (InvalidImageException e) {
      throw new ArchiveException("the " + INDEX + " of " + files + " is invalid: " + e.getMessage(), e);
    }
  }

  /** The index's entries, annotations and all. */
  public List<Descriptor> entries() {
    return entries;
  }

  public boolean hasBlob(Digest digest) {
    return files.exists(path(digest));
  }

  /** A blob's bytes, verified while read. */
  public InputStream openBlob(Descriptor blob) throws IOException {
    return new VerifyingInputStream(files.open(path(blob.digest())), blob.digest(), blob.size(),
        "blob " + blob.digest() + " in " + files, n -> { });
  }

  /** A small blob (manifest, index, config) whole, verified. */
  public byte[] readBlob(Descriptor blob) throws IOException {
    if (blob.size() > MAX_DOCUMENT) {
      throw new ArchiveException("blob " + blob.digest() + " in " + files + " is " + blob.size()
          + " bytes, too large for a manifest or config");
    }
    try (InputStream in = openBlob(blob)) {
      return in.readAllBytes();
    }
  }

  /** A small blob known only by its digest (an annotation names it), whole, verified. */
  public byte[] readBlob(Digest digest) throws IOException {
    try (InputStream in = new VerifyingInputStream(files.open(path(digest)), digest, -1, "blob " + digest + " in "
        + files, n -> { })) {
      byte[] bytes = in.readNBytes(MAX_DOCUMENT + 1);
      if (bytes.length > MAX_DOCUMENT) {
        throw new ArchiveException("blob " + digest + " in " + files + " is too large for a manifest or index");
      }
      in.transferTo(java.io.OutputStream.nullOutputStream()); // to the end, where the digest is checked
      return bytes;
    }
  }

  /** Where the layout keeps a blob. */
  public static String path(Digest digest) {
    return "blobs/" + digest.algorithm() + "/" + digest.hex();
  }

  @Override
  public String toString() {
    return files.toString();
  }
}
