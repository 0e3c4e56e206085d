package io.imgtool.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OCI → Docker v2 schema 2, for registries that refuse OCI manifests. Only when nothing is lost:
 * gzip layers, no annotations, no fields Docker's format lacks. The config blob is unchanged;
 * only its descriptor's media type differs, so the image ID stays the same.
 */
final class ManifestConversion {
  private static final Set<String> MANIFEST_FIELDS = Set.of("schemaVersion", "mediaType", "config", "layers");
  private static final Set<String> DESCRIPTOR_FIELDS = Set.of("mediaType", "digest", "size", "urls");

  private ManifestConversion() {}

  static Optional<Manifest> toDocker(Manifest manifest) {
    if (manifest.format() != Format.OCI || !onlyFields(manifest.toJson(), MANIFEST_FIELDS)) {
      return Optional.empty();
    }
    Descriptor config = manifest.config();
    if (!MediaType.OCI_CONFIG.equals(config.mediaType()) || !onlyFields(config.toJson(), DESCRIPTOR_FIELDS)) {
      return Optional.empty();
    }
    List<Descriptor> layers = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      String dockerType = switch (String.valueOf(layer.mediaType())) {
        case MediaType.OCI_LAYER_GZIP -> MediaType.DOCKER_LAYER_GZIP;
        case MediaType.OCI_LAYER_NONDIST_GZIP -> MediaType.DOCKER_LAYER_FOREIGN_GZIP;
        default -> null;
      };
      if (dockerType == null || !onlyFields(layer.toJson(), DESCRIPTOR_FIELDS)) {
        return Optional.empty();
      }
      layers.add(layer.withMediaType(dockerType));
    }
    return Optional.of(Manifest.create(Format.DOCKER, config.withMediaType(MediaType.DOCKER_CONFIG), layers, Map.of()));
  }

  private static boolean onlyFields(ObjectNode json, Set<String> allowed) {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      if (!allowed.contains(names.next())) {
        return false;
      }
    }
    return true;
  }
}
