package io.imgtool.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes blobs no index entry reaches. It runs under the store lock, and blobs enter the store
 * only under that lock together with the index entry that references them, so a blob another
 * command is committing is never seen unreferenced.
 */
final class GarbageCollector {
  /** A temp file younger than this may belong to a store being created right now. */
  private static final Duration TEMP_FILE_GRACE = Duration.ofHours(1);

  private GarbageCollector() {}

  /** Deletes unreferenced blobs. The caller holds the store lock. */
  static PruneReport collectBlobs(Layout layout) throws IOException {
    Set<Digest> reachable = reachable(layout, StoreIndex.read(layout).entries());
    List<Digest> deleted = new ArrayList<>();
    long bytes = 0;
    if (!Files.isDirectory(layout.blobs())) {
      return PruneReport.nothing();
    }
    try (Stream<Path> algorithms = Files.list(layout.blobs())) {
      for (Path dir : (Iterable<Path>) algorithms.filter(Files::isDirectory)::iterator) {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            String text = dir.getFileName() + ":" + file.getFileName();
            if (!Digest.isValid(text) || reachable.contains(Digest.parse(text))) {
              continue; // not a blob name (not ours to judge), or in use
            }
            long size = Files.size(file);
            Files.deleteIfExists(file);
            deleted.add(Digest.parse(text));
            bytes += size;
          }
        }
      }
    }
    return new PruneReport(deleted, bytes, 0);
  }

  /** What {@link #removeAbandoned} removed: staging directories, and the bytes they and old temp files held. */
  record Abandoned(int stagings, long bytes) {}

  /** Deletes staging directories whose owner is gone, and old temp files. Under the store lock. */
  static Abandoned removeAbandoned(Layout layout) throws IOException {
    int removed = 0;
    long bytes = 0;
    Instant tempCutoff = Instant.now().minus(TEMP_FILE_GRACE);
    try (Stream<Path> entries = Files.list(layout.root())) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (name.startsWith(Layout.STAGING_PREFIX) && Files.isDirectory(entry)) {
          long freed = removeIfAbandoned(entry);
          if (freed >= 0) {
            removed++;
            bytes += freed;
          }
        } else if (name.startsWith(Layout.TEMP_PREFIX)
            && Files.getLastModifiedTime(entry).toInstant().isBefore(tempCutoff)) {
          bytes += Files.isRegularFile(entry) ? Files.size(entry) : 0;
          Files.deleteIfExists(entry);
        }
      }
    }
    return new Abandoned(removed, bytes);
  }

  /** True when a command holds the staging's owner lock: it is not a leftover. Under the store lock. */
  static boolean inUse(Path staging) throws IOException {
    if (Staging.isLive(staging)) {
      return true;
    }
    try (FileChannel owner = FileChannel.open(staging.resolve(Layout.OWNER_LOCK), StandardOpenOption.WRITE)) {
      return owner.tryLock() == null;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** The bytes of the regular files in an abandoned staging directory (its partial blobs). */
  private static long sizeOf(Path dir) throws IOException {
    long total = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          total += Files.size(file);
        }
      }
    }
    return total;
  }

  /**
   * A staging is abandoned when nobody holds its owner lock. Stagings of this JVM are skipped
   * without opening the lock file: closing our descriptor would drop their owner's lock.
   *
   * @return the bytes it held when it was removed, or -1 when it is in use
   */
  private static long removeIfAbandoned(Path staging) throws IOException {
    if (Staging.isLive(staging)) {
      return -1;
    }
    Path ownerFile = staging.resolve(Layout.OWNER_LOCK);
    try (FileChannel owner = FileChannel.open(ownerFile, StandardOpenOption.WRITE)) {
      FileLock lock = owner.tryLock();
      if (lock == null) {
        return -1;
      }
      long size = sizeOf(staging); // nobody writes into it now
      DurableFiles.deleteTree(staging);
      return size;
    } catch (OverlappingFileLockException e) {
      return -1;
    } catch (NoSuchFileException e) {
      if (!Files.exists(staging, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return -1; // its owner closed it meanwhile: nothing was abandoned
      }
      // Created under the store lock together with its owner lock, so it was never in use.
      DurableFiles.deleteTree(staging);
      return 0;
    }
  }

  /**
   * Every blob an index entry leads to: manifests, their configs and layers, nested indexes, and
   * the blobs its annotations name (the image's own manifest, the index it came from).
   */
  static Set<Digest> reachable(Layout layout, List<Descriptor> roots) throws IOException {
    Set<Digest> seen = new HashSet<>();
    Deque<Descriptor> manifests = new ArrayDeque<>(roots);
    while (!manifests.isEmpty()) {
      Descriptor manifest = manifests.pop();
      // Before the check: entries of one manifest may name different blobs (one came from an index).
      Annotations.referencedBlobs(manifest).forEach(seen::add);
      if (!seen.add(manifest.digest())) {
        continue;
      }
      JsonNode json = readJson(layout, manifest);
      leaf(seen, json.get("config"));
      json.path("layers").forEach(layer -> leaf(seen, layer));
      json.path("manifests").forEach(child -> descriptor(child).ifPresent(manifests::push));
    }
    return seen;
  }

  /**
   * An index entry's blob as JSON, judged by content rather than media type, so that an entry
   * with a missing or unusual media type still protects its blobs. Missing or not JSON: a leaf.
   */
  private static JsonNode readJson(Layout layout, Descriptor blob) throws IOException {
    Path path = layout.blob(blob.digest());
    if (!Files.isRegularFile(path) || Files.size(path) > Blobs.MAX_JSON_BLOB) {
      return Json.object();
    }
    try {
      return Json.parseObject(Blobs.read(path, blob.digest(), layout.root().toString()), "blob");
    } catch (InvalidImageException e) {
      return Json.object();
    }
  }

  private static void leaf(Set<Digest> seen, JsonNode node) {
    descriptor(node).ifPresent(d -> seen.add(d.digest()));
  }

  private static java.util.Optional<Descriptor> descriptor(JsonNode node) {
    try {
      return node == null || node.isMissingNode()
          ? java.util.Optional.empty()
          : java.util.Optional.of(Descriptor.fromJson(node));
    } catch (InvalidImageException e) {
      return java.util.Optional.empty(); // not a descriptor: nothing it could protect
    }
  }
}
