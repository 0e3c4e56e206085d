package io.imgtool.images;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.VerifyingInputStream;
import io.imgtool.registry.PullTarget;
import io.imgtool.store.BlobWriter;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.io.InputStream;

/** Pulled blobs go into a staging area of the store; a blob is kept only if it verified. */
record StorePullTarget(Staging staging) implements PullTarget {
  @Override
  public boolean hasBlob(Digest digest) {
    return staging.hasBlob(digest);
  }

  @Override
  public void writeBlob(Descriptor blob, InputStream verifiedContent) throws IOException {
    try (BlobWriter writer = staging.newBlob()) {
      if (verifiedContent instanceof VerifyingInputStream verifying && verifying.expected().equals(blob.digest())) {
        writer.finishFrom(verifying);
      } else {
        verifiedContent.transferTo(writer);
        writer.finish(blob.digest());
      }
    }
  }
}
