package io.imgtool.mutate;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import java.util.Objects;

/**
 * A layer blob built for a commit: its descriptor (digest and size of the stored, possibly
 * compressed, bytes; the media type tells the compression), its diffID (digest of the
 * uncompressed tar), and the history text that says how it was made, e.g.
 * {@code imgtool commit --layer app.tar} (may be null).
 */
public record NewLayer(Descriptor blob, Digest diffId, String createdBy) {
  public NewLayer {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(diffId, "diffId");
  }
}
