package io.imgtool.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the bytes of an image's blobs come from: the local store, a registry (fetched lazily),
 * an archive. Opening a blob is the moment its bytes are needed.
 */
@FunctionalInterface
public interface BlobSource {
  InputStream open(Descriptor blob) throws IOException;

  /**
   * The file that holds the blob's bytes, unverified, for a receiver that checks the digest
   * itself as a registry does on every upload; empty when the source keeps no such file.
   */
  default Optional<Path> file(Descriptor blob) {
    return Optional.empty();
  }
}
