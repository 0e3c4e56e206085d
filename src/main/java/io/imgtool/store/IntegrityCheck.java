package io.imgtool.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code imgtool check}: reads every blob and every image the index names, under the store lock
 * so that no command moves blobs in meanwhile; {@link IntegrityRepair} mends what it finds.
 */
final class IntegrityCheck {
  private final Layout layout;
  private final Set<Digest> present = new HashSet<>();
  private final Set<Digest> corrupt = new TreeSet<>();
  private final List<String> leftovers = new ArrayList<>();

  private IntegrityCheck(Layout layout) {
    this.layout = layout;
  }

  static IntegrityReport run(Layout layout, boolean repair) throws IOException {
    try (StoreLock lock = StoreLock.acquire(layout)) {
      if (lock == null) {
        return new IntegrityReport(0, null, List.of(), List.of(), List.of(), List.of(), List.of());
      }
      return new IntegrityCheck(layout).check(repair);
    }
  }

  private IntegrityReport check(boolean repair) throws IOException {
    int verified = verifyBlobs();
    findLeftovers();
    String indexProblem = null;
    List<Descriptor> entries = List.of();
    if (!Files.exists(layout.index())) {
      indexProblem = "the store has no " + Layout.INDEX_JSON + " (OCI tools refuse it)";
    } else {
      try {
        entries = StoreIndex.read(layout).entries();
      } catch (StoreException e) {
        indexProblem = e.getMessage();
      }
    }
    List<IntegrityReport.ImageState> images = new ArrayList<>();
    for (Descriptor entry : entries) {
      images.add(image(entry));
    }
    // An index.json that cannot be read may name any blob: then nothing is unused, and nothing is repaired.
    boolean indexKnown = indexProblem == null || !Files.exists(layout.index());
    List<Digest> orphans = indexKnown ? orphans(entries) : List.of();
    List<String> repairs = repair && indexKnown
        ? IntegrityRepair.run(layout, images, corrupt, leftovers) : List.of();
    return new IntegrityReport(verified, indexProblem, images, List.copyOf(corrupt), orphans, leftovers, repairs);
  }

  /** Hashes every file under blobs/ALGORITHM/ whose name is a digest; other files are leftovers. */
  private int verifyBlobs() throws IOException {
    if (!Files.isDirectory(layout.blobs())) {
      return 0;
    }
    int verified = 0;
    try (Stream<Path> algorithms = Files.list(layout.blobs())) {
      for (Path dir : (Iterable<Path>) algorithms.filter(Files::isDirectory)::iterator) {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path file : (Iterable<Path>) files.sorted()::iterator) {
            String text = dir.getFileName() + ":" + file.getFileName();
            if (!Digest.isValid(text) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
              leftovers.add(layout.root().relativize(file).toString());
              continue;
            }
            Digest digest = Digest.parse(text);
            present.add(digest);
            if (!hashesTo(file, digest)) {
              corrupt.add(digest);
            }
            verified++;
          }
        }
      }
    }
    return verified;
  }

  private static boolean hashesTo(Path file, Digest digest) throws IOException {
    MessageDigest hash = digest.newHash();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        hash.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(hash.digest()).equals(digest.hex());
  }

  /** Staging directories of commands that died, and temp files, in the store's root. */
  private void findLeftovers() throws IOException {
    try (Stream<Path> entries = Files.list(layout.root())) {
      for (Path entry : (Iterable<Path>) entries.filter(Layout::isImgtoolEntry).sorted()::iterator) {
        boolean staging = entry.getFileName().toString().startsWith(Layout.STAGING_PREFIX);
        if (!staging || !GarbageCollector.inUse(entry)) {
          leftovers.add(entry.getFileName().toString());
        }
      }
    }
  }

  /** Every blob the entry leads to, checked: lazy layers are those of an entry that names a source. */
  private IntegrityReport.ImageState image(Descriptor entry) throws IOException {
    List<IntegrityReport.Finding> damage = new ArrayList<>();
    List<Digest> lazy = new ArrayList<>();
    boolean hasSource = entry.annotation(Annotations.SOURCE) != null;
    for (Digest annotated : Annotations.referencedBlobs(entry)) {
      require("original manifest or index", annotated, damage);
    }
    String role = io.imgtool.image.MediaType.isIndex(entry.mediaType()) ? "index" : "manifest";
    walk(entry, role, damage, lazy, hasSource, new HashSet<>());
    return new IntegrityReport.ImageState(entry, damage, lazy);
  }

  private void walk(Descriptor blob, String role, List<IntegrityReport.Finding> damage, List<Digest> lazy,
      boolean hasSource, Set<Digest> seen) throws IOException {
    if (!seen.add(blob.digest()) || !require(role, blob.digest(), damage)) {
      return;
    }
    JsonNode json = readJson(blob.digest());
    if (json == null) {
      damage.add(new IntegrityReport.Finding(role + " (not JSON)", blob.digest(), true));
      return;
    }
    for (Descriptor config : descriptors(json.get("config"))) {
      require("config", config.digest(), damage);
    }
    for (Descriptor layer : descriptors(json.get("layers"))) {
      if (!present.contains(layer.digest()) && hasSource) {
        lazy.add(layer.digest());
      } else {
        require("layer", layer.digest(), damage);
      }
    }
    for (Descriptor child : descriptors(json.get("manifests"))) {
      walk(child, "platform manifest", damage, lazy, hasSource, seen);
    }
  }

  /** Records a finding unless the blob is present and sound; returns whether it is. */
  private boolean require(String role, Digest digest, List<IntegrityReport.Finding> damage) {
    if (!present.contains(digest) || corrupt.contains(digest)) {
      damage.add(new IntegrityReport.Finding(role, digest, present.contains(digest)));
      return false;
    }
    return true;
  }

  private JsonNode readJson(Digest digest) throws IOException {
    try {
      return Json.parseObject(Blobs.read(layout.blob(digest), digest, layout.root().toString()), "blob");
    } catch (InvalidImageException | StoreException e) {
      return null;
    }
  }

  private static List<Descriptor> descriptors(JsonNode node) {
    List<Descriptor> list = new ArrayList<>();
    if (node == null || node.isMissingNode() || node.isNull()) {
      return list;
    }
    for (JsonNode item : node.isArray() ? node : List.of(node)) {
      try {
        list.add(Descriptor.fromJson(item));
      } catch (InvalidImageException e) {
        // not a descriptor: nothing to check
      }
    }
    return list;
  }

  private List<Digest> orphans(List<Descriptor> entries) throws IOException {
    Set<Digest> reachable = GarbageCollector.reachable(layout, entries);
    return present.stream().filter(d -> !reachable.contains(d)).sorted().toList();
  }
}
