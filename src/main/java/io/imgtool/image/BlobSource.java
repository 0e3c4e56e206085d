package io.imgtool.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the bytes of an image's blobs come from: the local store, a registry (fetched lazily),
 * an archive. Opening a blob is the moment its bytes are needed.
 */
@FunctionalInterface
public interface BlobSource {
  InputStream open(Descriptor blob) throws IOException;
}
