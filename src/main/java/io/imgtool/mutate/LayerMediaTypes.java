package io.imgtool.mutate;

import io.imgtool.image.Compression;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.MediaType;
import java.util.Map;

/**
 * Layer media types across the two manifest formats. The blobs are the same bytes in both;
 * only the names differ (Docker gzip ↔ OCI gzip, Docker foreign ↔ OCI non-distributable gzip).
 */
final class LayerMediaTypes {
  private static final Map<String, String> TO_DOCKER = Map.of(
      MediaType.OCI_LAYER_GZIP, MediaType.DOCKER_LAYER_GZIP,
      MediaType.OCI_LAYER_NONDIST_GZIP, MediaType.DOCKER_LAYER_FOREIGN_GZIP);
  private static final Map<String, String> TO_OCI = Map.of(
      MediaType.DOCKER_LAYER_GZIP, MediaType.OCI_LAYER_GZIP,
      MediaType.DOCKER_LAYER_FOREIGN_GZIP, MediaType.OCI_LAYER_NONDIST_GZIP);

  private LayerMediaTypes() {}

  /** A base layer's descriptor renamed for the target format; urls and annotations are kept. */
  static Descriptor convert(Descriptor layer, Format target) {
    String mediaType = layer.mediaType();
    if (target == Format.DOCKER) {
      if (MediaType.isDocker(mediaType)) {
        return layer;
      }
      String docker = TO_DOCKER.get(mediaType);
      if (docker == null) {
        throw new IncompatibleFormatException("cannot write base layer " + layer.digest()
            + " (" + mediaType + ") in Docker format, which supports only gzip layers; "
            + "use --format oci");
      }
      return layer.withMediaType(docker);
    }
    if (MediaType.isDocker(mediaType)) {
      String oci = TO_OCI.get(mediaType);
      if (oci == null) {
        throw new IncompatibleFormatException("cannot write base layer " + layer.digest()
            + " (" + mediaType + ") in OCI format: no OCI equivalent; use --format docker");
      }
      return layer.withMediaType(oci);
    }
    return layer;
  }

  /** A new layer's descriptor with the media type of its compression in the target format. */
  static Descriptor forNewLayer(Descriptor blob, Format target) {
    Compression compression = MediaType.layerCompression(blob.mediaType());
    if (target == Format.DOCKER && compression != Compression.GZIP) {
      throw new IncompatibleFormatException("cannot write new layer " + blob.digest() + " ("
          + compression.label() + ") in Docker format, which supports only gzip layers; "
          + "use --format oci or --compression gzip");
    }
    return blob.withMediaType(MediaType.layer(target, compression));
  }
}
