package io.imgtool.store;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Json;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import io.imgtool.name.ImageReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store is an OCI layout that skopeo and umoci read as it is, full names included. */
class OciToolsInteropTest {
  private static final String FOO = "docker.io/library/foo:1";
  private static final String PRIVATE = "192.168.1.2:5000/yyubuntu:1.2";

  @TempDir Path tmp;
  Path root;
  Descriptor manifest;

  @BeforeEach
  void storeWithARealImage() throws IOException {
    root = tmp.resolve("store");
    LayoutStore store = LayoutStore.at(root);
    byte[] tar = tar("hello.txt", "hello from imgtool\n");
    byte[] gzipped = gzip(tar);
    try (Staging staging = store.stage()) {
      StagedBlob layer = staging.putBlob(gzipped);
      StagedBlob config = staging.putBlob(config(Digest.sha256(tar)));
      Manifest m = Manifest.create(Format.OCI, config.descriptor(MediaType.OCI_CONFIG),
          List.of(layer.descriptor(MediaType.OCI_LAYER_GZIP)), Map.of());
      staging.putBlob(m.bytes());
      manifest = m.descriptor();
      staging.commit(editor -> {
        editor.tag(ImageReference.parse(FOO), manifest);
        editor.tag(ImageReference.parse(PRIVATE), manifest);
      });
    }
    TestImages.commit(store, null, "an untagged image beside them");
  }

  private static byte[] tar(String name, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      byte[] data = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(data.length);
      entry.setMode(0644);
      tar.putArchiveEntry(entry);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(data);
    }
    return bytes.toByteArray();
  }

  private static byte[] config(Digest diffId) {
    ObjectNode config = Json.object();
    config.put("created", TestImages.CREATED);
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.putObject("config").putArray("Cmd").add("/bin/sh");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(diffId.toString());
    config.putArray("history").addObject().put("created", TestImages.CREATED).put("created_by", "test");
    return Json.bytes(config);
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  private static void assumeInstalled(String tool) throws InterruptedException, IOException {
    Judges.require(tool);
    Judges.requireThat(run(tool, "--version").exitCode() == 0, tool + " does not run");
  }

  @Test
  void skopeoInspectsImagesByTheirFullNames() throws Exception {
    assumeInstalled("skopeo");
    for (String name : List.of(FOO, PRIVATE)) {
      // skopeo splits oci:PATH:REF at the first colon after "oci:", so REF may hold colons.
      Result result = run("skopeo", "inspect", "oci:" + root + ":" + name);
      assertEquals(0, result.exitCode(), result.output());
      assertTrue(result.output().contains(manifest.digest().toString()), result.output());
    }
  }

  @Test
  void skopeoCopiesAnImageOut() throws Exception {
    assumeInstalled("skopeo");
    Path dir = tmp.resolve("copied");
    Result result = run("skopeo", "copy", "oci:" + root + ":" + FOO, "dir:" + dir);
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(Files.exists(dir.resolve("manifest.json")));
  }

  @Test
  void umociListsAndUnpacksImagesByTheirFullNames() throws Exception {
    assumeInstalled("umoci");
    Result list = run("umoci", "ls", "--layout", root.toString());
    assertEquals(0, list.exitCode(), list.output());
    assertEquals(List.of(PRIVATE, FOO), list.output().lines().sorted().toList());

    for (String name : List.of(FOO, PRIVATE)) {
      Path bundle = tmp.resolve("bundle-" + name.hashCode());
      Result unpack = run("umoci", "unpack", "--rootless", "--image", root + ":" + name, bundle.toString());
      assertEquals(0, unpack.exitCode(), unpack.output());
      assertEquals("hello from imgtool\n", Files.readString(bundle.resolve("rootfs/hello.txt")));
    }
  }
}
