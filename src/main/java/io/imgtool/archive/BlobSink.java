package io.imgtool.archive;

import io.imgtool.image.Digest;
import java.io.IOException;
import java.io.InputStream;

/** Where an image's blobs go by digest: an archive being written, a layout directory. */
public interface BlobSink {
  boolean hasBlob(Digest digest);

  /** Writes a blob, exactly {@code size} bytes of {@code content}, unless the sink has it. */
  void blob(Digest digest, long size, InputStream content) throws IOException;
}
