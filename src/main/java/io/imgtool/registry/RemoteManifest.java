package io.imgtool.registry;

import io.imgtool.image.Digest;
import io.imgtool.image.MediaType;

/** A manifest or index as the registry sent it: exact bytes, media type, digest (of the bytes). */
public record RemoteManifest(byte[] bytes, String mediaType, Digest digest) {
  public boolean isIndex() {
    return MediaType.isIndex(mediaType);
  }
}
