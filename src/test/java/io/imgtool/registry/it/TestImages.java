package io.imgtool.registry.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Json;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small images built in memory: gzip tar layers holding one file each, a config, a manifest. */
public final class TestImages {
  private TestImages() {}

  /** An image whose layer i holds {@code /layer-i.txt} with {@code content(i)} plus random filler. */
  public static Image build(Format format, String architecture, long seed, int layerCount, int fillerBytes)
      throws IOException {
    int[] sizes = new int[layerCount];
    java.util.Arrays.fill(sizes, fillerBytes);
    return build(format, architecture, seed, sizes);
  }

  /** As above, with {@code fillerBytes[i]} random bytes in layer i (random: the gzip layer is as large). */
  public static Image build(Format format, String architecture, long seed, int... fillerBytes) throws IOException {
    int layerCount = fillerBytes.length;
    Map<Digest, byte[]> blobs = new HashMap<>();
    List<Descriptor> layers = new ArrayList<>();
    ObjectNode config = Json.object();
    config.put("architecture", architecture);
    config.put("os", "linux");
    config.put("created", "2024-01-01T00:00:00Z");
    config.putObject("config").putArray("Cmd").add("/bin/sh");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    var diffIds = rootfs.putArray("diff_ids");
    Random random = new Random(seed);
    for (int i = 0; i < layerCount; i++) {
      byte[] filler = new byte[fillerBytes[i]];
      random.nextBytes(filler);
      byte[] tar = tar(Map.of("layer-" + i + ".txt", content(seed, i).getBytes(StandardCharsets.UTF_8),
          "filler-" + i + ".bin", filler));
      byte[] gzip = gzip(tar);
      diffIds.add(Digest.sha256(tar).toString());
      Descriptor layer = Descriptor.of(MediaType.layer(format, io.imgtool.image.Compression.GZIP),
          Digest.sha256(gzip), gzip.length);
      layers.add(layer);
      blobs.put(layer.digest(), gzip);
    }
    ImageConfig imageConfig = ImageConfig.of(config);
    Descriptor configDescriptor = Descriptor.of(format.configMediaType(), imageConfig.digest(), imageConfig.size());
    blobs.put(imageConfig.digest(), imageConfig.bytes());
    Manifest manifest = Manifest.create(format, configDescriptor, layers, Map.of());
    return new Image(manifest, imageConfig, blob -> {
      byte[] bytes = blobs.get(blob.digest());
      if (bytes == null) {
        throw new IOException("no blob " + blob.digest());
      }
      return new ByteArrayInputStream(bytes);
    });
  }

  public static String content(long seed, int layer) {
    return "image " + seed + " layer " + layer + "\n";
  }

  static byte[] tar(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (var file : new java.util.TreeMap<>(files).entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        entry.setMode(0644);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
