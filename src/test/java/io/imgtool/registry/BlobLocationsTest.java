package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.imgtool.image.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobLocationsTest {
  @TempDir Path dir;

  private static Digest digest(int n) {
    return Digest.sha256(("blob " + n).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void remembersTheLatestRepositoryPerRegistryAcrossInstances() {
    Path file = dir.resolve("cache/blob-locations.json");
    BlobLocations.file(file).record("host:5000", "team/app", List.of(digest(1), digest(2)));
    BlobLocations.file(file).record("host:5000", "team/app-debug", List.of(digest(2)));
    BlobLocations.file(file).record("other:5000", "x/y", List.of(digest(1)));

    BlobLocations read = BlobLocations.file(file);
    assertEquals(Map.of(digest(1), "team/app", digest(2), "team/app-debug"), read.repositories("host:5000"));
    assertEquals(Map.of(digest(1), "x/y"), read.repositories("other:5000"));
    assertEquals(Map.of(), read.repositories("third:5000"));
  }

  @Test
  void forgetsTheOldestBeyondItsLimit() {
    BlobLocations locations = BlobLocations.file(dir.resolve("blob-locations.json"));
    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i <= BlobLocations.PER_REGISTRY; i++) {
      digests.add(digest(i));
    }
    locations.record("host:5000", "team/app", digests);
    Map<Digest, String> known = locations.repositories("host:5000");
    assertEquals(BlobLocations.PER_REGISTRY, known.size());
    assertFalse(known.containsKey(digest(0)), "the oldest is forgotten");
    assertEquals("team/app", known.get(digest(1)));
  }

  @Test
  void aDamagedOrUnwritableFileOnlyForgets() throws Exception {
    Path damaged = Files.writeString(dir.resolve("damaged.json"), "{\"host:5000\": [");
    assertEquals(Map.of(), BlobLocations.file(damaged).repositories("host:5000"));
    BlobLocations.file(damaged).record("host:5000", "team/app", List.of(digest(1)));
    assertEquals(Map.of(digest(1), "team/app"), BlobLocations.file(damaged).repositories("host:5000"));

    Path blocked = Files.writeString(dir.resolve("not-a-directory"), "");
    BlobLocations unwritable = BlobLocations.file(blocked.resolve("blob-locations.json"));
    unwritable.record("host:5000", "team/app", List.of(digest(1)));
    assertEquals(Map.of(), unwritable.repositories("host:5000"));
  }
}
