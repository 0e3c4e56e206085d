package io.imgtool.registry;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where pulled blobs go (the CLI adapts the local store). The puller verifies digest and size
 * while the stream is read: {@code writeBlob} must copy to a temporary place and keep the blob
 * only when reading the stream to its end raised no exception.
 */
public interface PullTarget {
  boolean hasBlob(Digest digest) throws IOException;

  void writeBlob(Descriptor blob, InputStream verifiedContent) throws IOException;
}
