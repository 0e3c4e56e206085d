package io.imgtool.store;

import io.imgtool.image.Digest;
import io.imgtool.image.MediaType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where things live in a store: the OCI image layout files and imgtool's own transient entries.
 * Everything imgtool adds to the layout directory starts with {@code .imgtool-}, which OCI tools
 * ignore, and exists only while a command runs (or after it crashed, until {@code prune}).
 */
final class Layout {
  static final String OCI_LAYOUT = "oci-layout";
  static final String INDEX_JSON = "index.json";
  static final String BLOBS = "blobs";
  static final String LAYOUT_VERSION = "1.0.0";
  static final byte[] OCI_LAYOUT_CONTENT =
      ("{\"imageLayoutVersion\":\"" + LAYOUT_VERSION + "\"}").getBytes(StandardCharsets.UTF_8);
  /** The index.json a new store starts with; a store always has one. */
  static final byte[] EMPTY_INDEX = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\","
      + "\"manifests\":[]}").getBytes(StandardCharsets.UTF_8);

  /** A command's staging directory: blobs written before they are committed. */
  static final String STAGING_PREFIX = ".imgtool-staging-";
  /** Temporary files of atomic replacements (index.json, oci-layout). */
  static final String TEMP_PREFIX = ".imgtool-tmp-";
  /** Inside a staging directory: locked by its owner for as long as the staging is open. */
  static final String OWNER_LOCK = "owner.lock";

  private final Path root;

  Layout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  Path ociLayout() {
    return root.resolve(OCI_LAYOUT);
  }

  Path index() {
    return root.resolve(INDEX_JSON);
  }

  Path blobs() {
    return root.resolve(BLOBS);
  }

  Path blobDir(String algorithm) {
    return blobs().resolve(algorithm);
  }

  Path blob(Digest digest) {
    return blobDir(digest.algorithm()).resolve(digest.hex());
  }

  static boolean isImgtoolEntry(Path path) {
    String name = path.getFileName().toString();
    return name.startsWith(STAGING_PREFIX) || name.startsWith(TEMP_PREFIX);
  }
}
