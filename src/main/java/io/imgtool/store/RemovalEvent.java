package io.imgtool.store;

import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;

/** What {@code rmi} did, in order, as data; toString gives Docker's line for it. */
public sealed interface RemovalEvent {

  /** A name was removed. */
  record Untagged(ImageReference name) implements RemovalEvent {
    @Override
    public String toString() {
      return "Untagged: " + name.familiar();
    }
  }

  /** An image left without names was removed from the index. */
  record Deleted(Digest imageId) implements RemovalEvent {
    @Override
    public String toString() {
      return "Deleted: " + imageId;
    }
  }

  /** One argument could not be removed; the others were still processed, as in Docker. */
  record Failed(String image, RuntimeException error) implements RemovalEvent {
    @Override
    public String toString() {
      return error.getMessage();
    }
  }
}
