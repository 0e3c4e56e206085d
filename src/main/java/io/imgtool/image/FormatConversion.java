package io.imgtool.image;

import java.util.List;
import java.util.Map;

/**
 * Between Docker v2 schema 2 and OCI: the blobs are the same bytes in both formats, only the
 * media types in the manifest differ (the config blob is untouched, so the image ID stays).
 */
public final class FormatConversion {
  private static final Map<String, String> TO_DOCKER = Map.of(
      MediaType.OCI_LAYER_GZIP, MediaType.DOCKER_LAYER_GZIP,
      MediaType.OCI_LAYER_NONDIST_GZIP, MediaType.DOCKER_LAYER_FOREIGN_GZIP);
  private static final Map<String, String> TO_OCI = Map.of(
      MediaType.DOCKER_LAYER_GZIP, MediaType.OCI_LAYER_GZIP,
      MediaType.DOCKER_LAYER_FOREIGN_GZIP, MediaType.OCI_LAYER_NONDIST_GZIP);

  private FormatConversion() {}

  /** A layer descriptor renamed for the target format; urls and annotations are kept. */
  public static Descriptor layer(Descriptor layer, Format target) {
    String mediaType = layer.mediaType();
    if (target == Format.DOCKER) {
      if (MediaType.isDocker(mediaType)) {
        return layer;
      }
      String docker = TO_DOCKER.get(mediaType);
      if (docker == null) {
        throw new IncompatibleFormatException("cannot write layer " + layer.digest()
            + " (" + mediaType + ") in Docker format, which supports only gzip layers; use --format oci");
      }
      return layer.withMediaType(docker);
    }
    if (MediaType.isDocker(mediaType)) {
      String oci = TO_OCI.get(mediaType);
      if (oci == null) {
        throw new IncompatibleFormatException("cannot write layer " + layer.digest()
            + " (" + mediaType + ") in OCI format: it has no OCI equivalent; use --format docker");
      }
      return layer.withMediaType(oci);
    }
    return layer;
  }

  /**
   * The manifest in the target format; the same manifest when it already is. Manifest
   * annotations go only into OCI manifests (Docker's format has none).
   */
  public static Manifest manifest(Manifest manifest, Format target) {
    if (manifest.format() == target) {
      return manifest;
    }
    List<Descriptor> layers = manifest.layers().stream().map(layer -> layer(layer, target)).toList();
    Descriptor config = manifest.config().withMediaType(target.configMediaType());
    Map<String, String> annotations = target == Format.OCI ? annotations(manifest) : Map.of();
    return Manifest.create(target, config, layers, annotations);
  }

  private static Map<String, String> annotations(Manifest manifest) {
    Map<String, String> result = new java.util.LinkedHashMap<>();
    var node = manifest.toJson().get("annotations");
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    }
    return result;
  }
}
