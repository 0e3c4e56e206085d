package io.imgtool.layer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Compression;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Json;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An image whose layer blobs are byte arrays in memory, uncompressed (each blob is its own
 * diffID; compressed bytes fail the diffID check after they were applied): for fuzzing the layer
 * applier, where a store on disk would cost more than the code under test.
 */
final class InMemoryImage {
  private InMemoryImage() {}

  /** An image of the given layer tars, in order. */
  static Image of(List<byte[]> blobs) {
    Map<Digest, byte[]> store = new HashMap<>();
    List<Descriptor> layers = new ArrayList<>();
    ObjectNode config = Json.object();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    for (int i = 0; i < blobs.size(); i++) {
      Digest digest = Digest.sha256(blobs.get(i));
      store.put(digest, blobs.get(i));
      layers.add(Descriptor.of(MediaType.layer(Format.OCI, Compression.NONE), digest, blobs.get(i).length));
      diffIds.add(digest.toString());
    }
    ImageConfig imageConfig = ImageConfig.of(config);
    Descriptor configBlob = Descriptor.of(MediaType.OCI_CONFIG, imageConfig.digest(), imageConfig.size());
    Manifest manifest = Manifest.create(Format.OCI, configBlob, layers, Map.of());
    return new Image(manifest, imageConfig, blob -> {
      byte[] bytes = store.get(blob.digest());
      if (bytes == null) {
        throw new IOException("no blob " + blob.digest());
      }
      return new ByteArrayInputStream(bytes);
    });
  }
}
