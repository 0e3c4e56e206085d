package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Compression;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Index;
import io.imgtool.image.Json;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A minimal OCI image layout for tests, readable by umoci: blobs, index.json with
 * {@code org.opencontainers.image.ref.name} tags, one config and manifest per image.
 */
final class TestLayout {
  final Path dir;
  private final Map<String, Descriptor> tags = new LinkedHashMap<>();

  TestLayout(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir.resolve("blobs/sha256"));
      Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A layer as a gzip blob; its diffID is the sha256 of the tar. */
  record Layer(Descriptor blob, Digest diffId) {}

  Layer layer(byte[] tar) {
    return layer(tar, Compression.GZIP);
  }

  Layer layer(byte[] tar, Compression compression) {
    byte[] blob = switch (compression) {
      case GZIP -> gzip(tar);
      case ZSTD -> com.github.luben.zstd.Zstd.compress(tar);
      case NONE -> tar;
    };
    Descriptor descriptor = writeBlob(MediaType.layer(Format.OCI, compression), blob);
    return new Layer(descriptor, Digest.sha256(tar));
  }

  /** An image of the given layers, tagged. */
  Image image(String tag, List<Layer> layers) {
    ObjectNode config = Json.object();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    layers.forEach(layer -> rootfs.withArray("diff_ids").add(layer.diffId().toString()));
    if (layers.isEmpty()) {
      rootfs.putArray("diff_ids");
    }
    config.putObject("config");
    ImageConfig imageConfig = ImageConfig.of(config);
    Descriptor configBlob = writeBlob(MediaType.OCI_CONFIG, imageConfig.bytes());
    List<Descriptor> blobs = new ArrayList<>();
    layers.forEach(layer -> blobs.add(layer.blob()));
    Manifest manifest = Manifest.create(Format.OCI, configBlob, blobs, Map.of());
    writeBlob(MediaType.OCI_MANIFEST, manifest.bytes());
    tags.put(tag, manifest.descriptor().withAnnotation(Descriptor.REF_NAME, tag));
    writeIndex();
    return new Image(manifest, imageConfig, d -> Files.newInputStream(blob(d.digest())));
  }

  /** The image's layers plus one more. */
  Image append(Image base, String tag, byte[] tar) {
    List<Layer> layers = new ArrayList<>();
    List<Digest> diffIds = base.config().diffIds();
    for (int i = 0; i < diffIds.size(); i++) {
      layers.add(new Layer(base.layers().get(i), diffIds.get(i)));
    }
    layers.add(layer(tar));
    return image(tag, layers);
  }

  Path blob(Digest digest) {
    return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  /** {@code umoci unpack} of a tag; returns the rootfs. */
  Path umociUnpack(String tag, Path bundle) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("umoci", "unpack", "--image", dir + ":" + tag, bundle.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), "umoci unpack failed: " + output);
    return bundle.resolve("rootfs");
  }

  private Descriptor writeBlob(String mediaType, byte[] bytes) {
    Digest digest = Digest.sha256(bytes);
    try {
      Files.write(blob(digest), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  private void writeIndex() {
    try {
      Files.write(dir.resolve("index.json"), Index.create(List.copyOf(tags.values())).bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] tar) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(tar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
