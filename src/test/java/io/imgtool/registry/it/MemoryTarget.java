package io.imgtool.registry.it;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.registry.PullTarget;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A pull target in memory that, like the store, keeps a blob only when its stream read cleanly. */
public final class MemoryTarget implements PullTarget {
  private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();

  @Override
  public boolean hasBlob(Digest digest) {
    return blobs.containsKey(digest);
  }

  @Override
  public void writeBlob(Descriptor blob, InputStream verifiedContent) throws IOException {
    byte[] bytes = verifiedContent.readAllBytes();
    blobs.put(blob.digest(), bytes);
  }

  public Map<Digest, byte[]> blobs() {
    return blobs;
  }
}
