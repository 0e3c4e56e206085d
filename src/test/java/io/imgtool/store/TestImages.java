package io.imgtool.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Json;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import io.imgtool.name.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Small images built straight into a store, and a way to compare whole store trees. */
final class TestImages {
  static final String CREATED = "2024-05-01T12:00:00Z";

  private TestImages() {}

  /** What a test needs to know about an image it stored. */
  record Built(Descriptor manifest, Digest id, List<Digest> blobs) {}

  /** A config whose ID depends on seed; layers are its diff IDs (uncompressed layers). */
  static byte[] config(String seed, List<byte[]> layers) {
    ObjectNode config = Json.object();
    config.put("created", CREATED);
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.putObject("config").putObject("Labels").put("seed", seed);
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(layer -> diffIds.add(Digest.sha256(layer).toString()));
    return Json.bytes(config);
  }

  /** Stages an image (layers uncompressed), ready to commit. */
  static Built stage(Staging staging, String seed, List<byte[]> layers) throws IOException {
    List<Descriptor> layerDescriptors = new ArrayList<>();
    List<Digest> blobs = new ArrayList<>();
    for (byte[] layer : layers) {
      StagedBlob blob = staging.putBlob(layer);
      layerDescriptors.add(blob.descriptor(MediaType.OCI_LAYER));
      blobs.add(blob.digest());
    }
    StagedBlob config = staging.putBlob(config(seed, layers));
    Manifest manifest = Manifest.create(
        Format.OCI, config.descriptor(MediaType.OCI_CONFIG), layerDescriptors, Map.of());
    StagedBlob manifestBlob = staging.putBlob(manifest.bytes());
    blobs.add(config.digest());
    blobs.add(manifestBlob.digest());
    return new Built(manifest.descriptor(), config.digest(), blobs);
  }

  /** Commits an image with one layer of its own and the given shared layers; name may be null. */
  static Built commit(LayoutStore store, String name, String seed, byte[]... sharedLayers)
      throws IOException {
    List<byte[]> layers = new ArrayList<>(List.of(sharedLayers));
    layers.add(("layer of " + seed).getBytes(StandardCharsets.UTF_8));
    try (Staging staging = store.stage()) {
      Built built = stage(staging, seed, layers);
      staging.commit(editor -> {
        if (name == null) {
          editor.add(built.manifest());
        } else {
          editor.tag(ImageReference.parse(name), built.manifest());
        }
      });
      return built;
    }
  }

  /** Relative path to content hash ("dir" for directories): equal maps mean equal trees. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    if (!Files.exists(root)) {
      return tree;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        String key = root.relativize(path).toString();
        tree.put(key, Files.isDirectory(path) ? "dir" : Digest.sha256(Files.readAllBytes(path)).toString());
      }
    }
    return tree;
  }

  /** The names in the store, as full normalised strings. */
  static List<String> names(LayoutStore store) throws IOException {
    return store.images().stream()
        .flatMap(image -> image.name().stream())
        .map(ImageReference::toString)
        .toList();
  }
}
