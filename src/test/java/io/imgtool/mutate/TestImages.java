package io.imgtool.mutate;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Base images built in memory; their layer bytes are never needed by a commit. */
final class TestImages {
  private TestImages() {}

  static Image image(String configJson, Format format, List<Descriptor> layers) {
    return image(configJson, format, layers, Map.of());
  }

  static Image image(String configJson, Format format, List<Descriptor> layers,
      Map<String, String> annotations) {
    ImageConfig config = ImageConfig.parse(configJson.getBytes(StandardCharsets.UTF_8));
    Descriptor configDescriptor = Descriptor.of(format.configMediaType(), config.digest(), config.size());
    Manifest manifest = Manifest.create(format, configDescriptor, layers, annotations);
    return new Image(manifest, config, blob -> {
      throw new IOException("a commit never reads layer bytes");
    });
  }

  static Digest digest(String seed) {
    return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
  }

  static Descriptor layer(String mediaType, String seed) {
    return Descriptor.of(mediaType, digest("blob " + seed), 1000 + seed.length());
  }

  static NewLayer newLayer(String mediaType, String seed) {
    return new NewLayer(layer(mediaType, seed), digest("diff " + seed), "imgtool commit --layer " + seed + ".tar");
  }
}
