package io.imgtool.archive;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Index;
import io.imgtool.image.Json;
import io.imgtool.image.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Adds images to an OCI layout directory, as {@code skopeo copy … oci:DIR:REF} does: blobs it
 * lacks, written to a temporary file and renamed into place, then index.json replaced in one
 * rename, an earlier entry of the same reference name replaced by the new one.
 */
public final class OciLayoutWriter implements BlobSink {
  private static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  private final Path dir;

  private OciLayoutWriter(Path dir) {
    this.dir = dir;
  }

  /** The layout at {@code dir}, made when it does not exist; an existing non-layout is refused. */
  public static OciLayoutWriter open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path ociLayout = dir.resolve(OciLayout.OCI_LAYOUT);
    if (!Files.exists(ociLayout)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new ArchiveException(dir + " is not an OCI image layout (no oci-layout) and not empty");
        }
      }
      replace(ociLayout, OCI_LAYOUT);
    }
    Files.createDirectories(dir.resolve("blobs/sha256"));
    return new OciLayoutWriter(dir);
  }

  @Override
  public boolean hasBlob(Digest digest) {
    return Files.isRegularFile(dir.resolve(OciLayout.path(digest)));
  }

  @Override
  public void blob(Digest digest, long size, InputStream content) throws IOException {
    Path target = dir.resolve(OciLayout.path(digest));
    if (Files.isRegularFile(target)) {
      return;
    }
    Files.createDirectories(target.getParent());
    Path temp = NewFiles.beside(target);
    try {
      long copied;
      try (OutputStream out = Files.newOutputStream(temp)) {
        copied = content.transferTo(out);
      }
      if (copied != size) {
        throw new IOException("blob " + digest + " is " + copied + " bytes, not " + size);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Adds the entry to index.json, replacing one with the same reference name. */
  public void entry(Descriptor entry) throws IOException {
    String ref = entry.annotation(Descriptor.REF_NAME);
    List<Descriptor> entries = new ArrayList<>();
    Path index = dir.resolve(OciLayout.INDEX);
    if (Files.exists(index)) {
      for (Descriptor existing : Index.parse(Files.readAllBytes(index)).manifests()) {
        if (ref == null || !Objects.equals(ref, existing.annotation(Descriptor.REF_NAME))) {
          entries.add(existing);
        }
      }
    }
    entries.add(entry);
    var json = Json.object();
    json.put("schemaVersion", 2);
    json.put("mediaType", MediaType.OCI_INDEX);
    var manifests = json.putArray("manifests");
    entries.forEach(e -> manifests.add(e.toJson()));
    replace(index, Json.bytes(json));
  }

  private static void replace(Path target, byte[] bytes) throws IOException {
    Path temp = NewFiles.beside(target);
    try {
      Files.write(temp, bytes);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
