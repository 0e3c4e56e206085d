package io.imgtool.mutate;

import io.imgtool.image.Compression;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.IncompatibleFormatException;
import io.imgtool.image.MediaType;

/**
 * Media types of new layers in the two manifest formats (base layers are renamed by
 * {@link io.imgtool.image.FormatConversion}).
 */
final class LayerMediaTypes {
  private LayerMediaTypes() {}

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
