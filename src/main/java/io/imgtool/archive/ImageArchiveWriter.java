package io.imgtool.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Json;
import io.imgtool.image.MediaType;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes images as one tar that is at once an OCI image layout ({@code oci-layout},
 * {@code index.json}, {@code blobs/}) and a Docker archive ({@code manifest.json},
 * {@code repositories}, pointing into the same blobs), as Docker 25+ saves them: docker load,
 * podman load and skopeo (docker-archive: and oci-archive:) read it. Each blob is written once
 * however many images share it. Entries have fixed owners and times, so the same images always
 * give the same bytes.
 */
public final class ImageArchiveWriter implements Closeable, BlobSink {
  private static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  private final TarArchiveOutputStream tar;
  private final Set<Digest> written = new HashSet<>();
  private final List<Descriptor> entries = new ArrayList<>();
  private final ArrayNode items = Json.array();
  private final Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
  private boolean finished;

  /** Starts the archive on {@code out}, which is not closed. */
  public ImageArchiveWriter(OutputStream out) throws IOException {
    this.tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    file(OciLayout.OCI_LAYOUT, OCI_LAYOUT);
    directory("blobs/");
    directory("blobs/sha256/");
  }

  @Override
  public boolean hasBlob(Digest digest) {
    return written.contains(digest);
  }

  @Override
  public void blob(Digest digest, long size, InputStream content) throws IOException {
    if (!written.add(digest)) {
      return;
    }
    TarArchiveEntry entry = entry(OciLayout.path(digest));
    entry.setSize(size);
    tar.putArchiveEntry(entry);
    long copied = content.transferTo(tar);
    if (copied != size) {
      throw new IOException("blob " + digest + " is " + copied + " bytes, not " + size);
    }
    tar.closeArchiveEntry();
  }

  /** An entry of index.json: a manifest or index descriptor with its names as annotations. */
  public void ociEntry(Descriptor entry) {
    entries.add(entry);
  }

  /** An image of manifest.json: its config and layers (written as blobs), and its names. */
  public void dockerImage(Digest config, List<String> repoTags, List<Digest> layers) {
    ObjectNode item = items.addObject();
    item.put("Config", OciLayout.path(config));
    ArrayNode tags = item.putArray("RepoTags");
    repoTags.forEach(tags::add);
    ArrayNode paths = item.putArray("Layers");
    layers.forEach(layer -> paths.add(OciLayout.path(layer)));
  }

  /** A line of the repositories file: Docker's old map of repository → tag → image ID hex. */
  public void repository(String repository, String tag, Digest imageId) {
    repositories.computeIfAbsent(repository, r -> new LinkedHashMap<>()).put(tag, imageId.hex());
  }

  /** Writes index.json, manifest.json and repositories, and ends the tar. */
  public void finish() throws IOException {
    ObjectNode index = Json.object();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaType.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    entries.forEach(entry -> manifests.add(entry.toJson()));
    file(OciLayout.INDEX, Json.bytes(index));
    file(DockerArchive.MANIFEST, Json.bytes(items));
    if (!repositories.isEmpty()) {
      file(DockerArchive.REPOSITORIES, Json.bytes(Json.MAPPER.valueToTree(repositories)));
    }
    tar.finish();
    tar.flush();
    finished = true;
  }

  private void file(String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = entry(name);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private void directory(String name) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    fixed(entry, 040755);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry entry(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    fixed(entry, 0100644);
    return entry;
  }

  private static void fixed(TarArchiveEntry entry, int mode) {
    entry.setMode(mode);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setModTime(0);
  }

  /** Leaves an unfinished archive unfinished: the caller discards it. */
  @Override
  public void close() throws IOException {
    if (finished) {
      tar.flush();
    }
  }
}
