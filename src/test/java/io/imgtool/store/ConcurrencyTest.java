package io.imgtool.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import io.imgtool.name.ImageReference;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  private static final int WORKERS = 4;
  private static final int IMAGES_EACH = 10;
  /** Fewer for processes: each image costs a cold JVM several fsyncs. */
  private static final int PROCESS_IMAGES_EACH = 5;

  @TempDir Path tmp;

  private static Set<String> expectedNames(int workers, int each) {
    Set<String> names = new HashSet<>();
    for (int w = 0; w < workers; w++) {
      for (int i = 0; i < each; i++) {
        names.add("localhost:5000/w" + w + "/img:" + i);
      }
    }
    return names;
  }

  /** Every listed image can be read, and every blob it refers to is in the store. */
  private static void assertEveryImageIsComplete(LayoutStore store) throws IOException {
    for (StoredImage stored : store.images()) {
      Image image = store.image(stored.manifest());
      for (Descriptor layer : image.layers()) {
        assertTrue(store.hasBlob(layer.digest()), "layer " + layer.digest() + " of " + stored.name());
      }
    }
  }

  @Test
  void threadsTaggingAtOnceLoseNoName() throws Exception {
    LayoutStore store = LayoutStore.at(tmp.resolve("store")); // created by the race itself
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        String[] args = {"tag", store.root().toString(), "w" + w, String.valueOf(IMAGES_EACH)};
        done.add(pool.submit(() -> {
          StoreWorker.main(args);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(expectedNames(WORKERS, IMAGES_EACH), new HashSet<>(TestImages.names(store)));
    assertEveryImageIsComplete(store);
  }

  @Test
  void processesTaggingAtOnceLoseNoName() throws Exception {
    Path root = tmp.resolve("store"); // created by the race itself
    List<Process> processes = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      processes.add(worker("tag", root.toString(), "w" + w, String.valueOf(PROCESS_IMAGES_EACH))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(tmp.resolve("w" + w + ".err").toFile())
          .start());
    }
    for (int w = 0; w < WORKERS; w++) {
      assertEquals(0, processes.get(w).waitFor(), Files.readString(tmp.resolve("w" + w + ".err")));
    }
    LayoutStore store = LayoutStore.at(root);
    assertEquals(expectedNames(WORKERS, PROCESS_IMAGES_EACH), new HashSet<>(TestImages.names(store)));
    assertEveryImageIsComplete(store);
    try (Stream<Path> entries = Files.list(root)) {
      assertEquals(List.of("blobs", "index.json", "oci-layout"),
          entries.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void garbageCollectionDuringCommitsNeverBreaksAnImage() throws Exception {
    LayoutStore store = LayoutStore.at(tmp);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
    try {
      Future<Integer> collector = pool.submit(() -> {
        int rounds = 0;
        for (; writing.get(); rounds++) {
          TestImages.commit(store, "scratch:" + rounds, "scratch" + rounds, StoreWorker.BASE);
          store.remove(List.of("scratch:" + rounds), false);
          store.prune();
        }
        return rounds;
      });
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        String[] args = {"tag", tmp.toString(), "w" + w, String.valueOf(IMAGES_EACH)};
        writers.add(pool.submit(() -> {
          StoreWorker.main(args);
          return null;
        }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      writing.set(false);
      assertTrue(collector.get() > 0);
    } finally {
      pool.shutdown();
    }
    assertEquals(expectedNames(WORKERS, IMAGES_EACH), new HashSet<>(TestImages.names(store)));
    assertEveryImageIsComplete(store);
    assertEquals(List.of(), store.prune().deletedBlobs(), "nothing unreferenced was left behind");
  }

  @Test
  void aCommitWhoseBaseWasRemovedMeanwhileFailsAndChangesNothing() throws IOException {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.Built base = TestImages.commit(store, "base:1", "base", StoreWorker.BASE);
    Image baseImage = store.image(base.manifest());
    TestImages.commit(store, "other:1", "other");

    try (Staging staging = store.stage()) {
      // A commit on the base writes only its new blobs: the base layers are in the store...
      StagedBlob config = staging.putBlob(TestImages.config("child", List.of(StoreWorker.BASE)));
      Manifest child = Manifest.create(Format.OCI, config.descriptor(MediaType.OCI_CONFIG),
          baseImage.layers().subList(0, 1), Map.of());
      staging.putBlob(child.bytes());
      // ...until another command removes the base and collects its blobs.
      store.remove(List.of("base:1"), false);
      Map<String, String> before = TestImages.snapshot(tmp);

      StoreException e = assertThrows(StoreException.class,
          () -> staging.commit(editor -> editor.tag(ImageReference.parse("child:1"), child.descriptor())));
      assertTrue(e.getMessage().contains("run the command again"), e.getMessage());
      Map<String, String> after = TestImages.snapshot(tmp);
      after.keySet().removeIf(path -> path.startsWith(Layout.STAGING_PREFIX));
      before.keySet().removeIf(path -> path.startsWith(Layout.STAGING_PREFIX));
      assertEquals(before, after);
    }
    assertEquals(List.of("docker.io/library/other:1"), TestImages.names(store));
  }

  @Test
  void pruneKeepsAStagingAnotherProcessIsUsing() throws Exception {
    LayoutStore store = LayoutStore.at(tmp);
    TestImages.commit(store, "foo:1", "a");
    Process holder = worker("hold", tmp.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("ready", out.readLine());

      assertEquals(0, store.prune().abandonedStagings());
      assertEquals(1, stagings(tmp).size());
    } finally {
      holder.destroyForcibly().waitFor(); // dies without cleaning up, as after kill -9
    }
    assertEquals(1, stagings(tmp).size(), "left behind by the killed process");
    assertEquals(1, store.prune().abandonedStagings());
    assertEquals(List.of(), stagings(tmp));
  }

  private static List<Path> stagings(Path root) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      return entries.filter(p -> p.getFileName().toString().startsWith(Layout.STAGING_PREFIX)).toList();
    }
  }

  /** A JVM running StoreWorker with this build's classes and Jackson. */
  private static ProcessBuilder worker(String... args) throws Exception {
    Set<String> classpath = new java.util.LinkedHashSet<>();
    for (Class<?> c : List.of(StoreWorker.class, LayoutStore.class, ObjectMapper.class,
        JsonFactory.class, JsonAutoDetect.class)) {
      classpath.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(File.pathSeparator, classpath), StoreWorker.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
