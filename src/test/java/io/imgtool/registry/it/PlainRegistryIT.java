package io.imgtool.registry.it;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.Image;
import io.imgtool.image.Index;
import io.imgtool.image.MediaType;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.BlobLocations;
import io.imgtool.registry.CredentialProvider;
import io.imgtool.registry.HttpTrace;
import io.imgtool.registry.PullResult;
import io.imgtool.registry.Puller;
import io.imgtool.registry.Pusher;
import io.imgtool.registry.Registries;
import io.imgtool.registry.RegistryClient;
import io.imgtool.registry.RegistryException;
import io.imgtool.registry.RemoteImage;
import io.imgtool.registry.RemoteImages;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.registry.TransportPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push, pull, mount, catalog against the real registry without auth, over plain HTTP on loopback. */
class PlainRegistryIT {
  @TempDir static Path dir;
  static RegistryFixture registry;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry");
    registry = RegistryFixture.plain(dir.resolve("registry"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private static Registries registries() {
    return new Registries(TransportPolicy.defaults(), CredentialProvider.NONE);
  }

  private static ImageReference ref(String name) {
    return ImageReference.parse(registry.registry() + "/" + name);
  }

  private static Digest push(Registries registries, Image image, ImageReference target, RecordingListener l)
      throws Exception {
    return new Pusher(registries, 4, RetryPolicy.defaults(), l).push(image, target, Map.of());
  }

  @Test
  void pushedImageIsReadableBySkopeoAndUmoci(@TempDir Path work) throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 1, 3, 2000);
    ImageReference target = ref("yyubuntu:1.2");
    Digest digest = push(registries(), image, target, new RecordingListener());

    assertEquals(image.manifest().digest(), digest);
    Judges.require("skopeo", "umoci");
    JsonNode inspect = Tools.skopeoInspect(target.toString(), null);
    assertEquals(digest.toString(), inspect.path("Digest").asText());
    assertEquals(3, inspect.path("Layers").size());
    Path rootfs = Tools.pullAndUnpack(target.toString(), null, work);
    assertEquals(TestImages.content(1, 2), Files.readString(rootfs.resolve("layer-2.txt")));
  }

  @Test
  void pushSkipsBlobsTheRegistryHas() throws Exception {
    Image image = TestImages.build(Format.DOCKER, "amd64", 2, 2, 100);
    push(registries(), image, ref("again:1"), new RecordingListener());

    RecordingListener second = new RecordingListener();
    push(registries(), image, ref("again:2"), second);
    assertEquals(3, second.count("exists"));
    assertEquals(0, second.count("pushed"));
  }

  @Test
  void pushOfAnImageTheRegistryHasCostsHeadsOnOneConnection() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 17, 3, 100);
    push(registries(), image, ref("onecon:1"), new RecordingListener());

    // Several times: a connection handed back to the pool late shows up only now and then.
    for (int attempt = 0; attempt < 5; attempt++) {
      try (CountingRelay relay = new CountingRelay(registry.port());
          Registries registries = registries()) {
        RecordingListener second = new RecordingListener();
        ImageReference target = ImageReference.parse(relay.registry() + "/onecon:" + (attempt + 2));
        new Pusher(registries, 4, RetryPolicy.defaults(), second).push(image, target, Map.of());

        assertEquals(4, second.count("exists")); // three layers and the config
        assertEquals(1, relay.connections(), "ping, four HEADs and the manifest on one connection");
      }
    }
  }

  @Test
  void aLaterPushToAnotherRepositoryOfTheNamespaceMountsWhatAnEarlierPushSent(@TempDir Path cache)
      throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 31, 3, 100);
    BlobLocations locations = BlobLocations.file(cache.resolve("blob-locations.json"));
    try (Registries registries = registries().rememberingBlobLocations(locations)) {
      push(registries, image, ref("team/app:1"), new RecordingListener());

      RecordingListener sameNamespace = new RecordingListener();
      push(registries, image, ref("team/app-debug:1"), sameNamespace);
      assertEquals(4, sameNamespace.count("mounted"), sameNamespace.events.toString()); // 3 layers, config
      assertEquals(0, sameNamespace.count("pushed"));

      // Another namespace may belong to someone else: no pull scope is asked there, no mount.
      RecordingListener otherNamespace = new RecordingListener();
      push(registries, image, ref("other/app:1"), otherNamespace);
      assertEquals(0, otherNamespace.count("mounted"));
      assertEquals(4, otherNamespace.count("pushed"));
    }
  }

  @Test
  void aRememberedRepositoryThatLacksTheBlobCostsAnUploadNotAFailure(@TempDir Path cache) throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 32, 2, 100);
    BlobLocations locations = BlobLocations.file(cache.resolve("blob-locations.json"));
    List<Digest> digests = new java.util.ArrayList<>();
    image.layers().forEach(l -> digests.add(l.digest()));
    locations.record(registry.registry(), "team/never-pushed", digests);
    try (Registries registries = registries().rememberingBlobLocations(locations)) {
      RecordingListener listener = new RecordingListener();
      Digest digest = push(registries, image, ref("team/fresh:1"), listener);
      assertEquals(image.manifest().digest(), digest);
      assertEquals(0, listener.count("mounted"));
      assertEquals(3, listener.count("pushed"));
    }
  }

  @Test
  void pushMountsBlobsFromAnotherRepositoryOfTheSameRegistry() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 3, 2, 100);
    ImageReference base = ref("base/app:1");
    push(registries(), image, base, new RecordingListener());

    RecordingListener listener = new RecordingListener();
    Map<Digest, ImageReference> origins = new java.util.HashMap<>();
    image.layers().forEach(l -> origins.put(l.digest(), base));
    new Pusher(registries(), 4, RetryPolicy.defaults(), listener).push(image, ref("derived/app:1"), origins);
    assertEquals(2, listener.count("mounted"));
    assertEquals(1, listener.count("pushed")); // the config, whose origin was not given
  }

  @Test
  void pullVerifiesAndStoresEveryBlobThenResumes() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 4, 3, 5000);
    ImageReference target = ref("pulled:latest");
    push(registries(), image, target, new RecordingListener());

    MemoryTarget store = new MemoryTarget();
    PullResult result = new Puller(registries(), 4, RetryPolicy.defaults(), new RecordingListener())
        .pull(target, Platform.parse("linux/amd64"), store);
    assertEquals(image.manifest().digest(), result.manifest().digest());
    assertEquals(target.withDigest(result.manifest().digest().toString()), result.reference());
    assertEquals(5, store.blobs().size()); // 3 layers, config, manifest
    for (Descriptor layer : image.layers()) {
      assertTrue(store.blobs().containsKey(layer.digest()));
    }

    RecordingListener again = new RecordingListener();
    new Puller(registries(), 4, RetryPolicy.defaults(), again).pull(target, Platform.parse("linux/amd64"), store);
    assertEquals(3, again.count("exists"));
    assertEquals(0, again.count("pulled"));
  }

  @Test
  void pullPicksThePlatformFromAnIndex() throws Exception {
    Image amd = TestImages.build(Format.OCI, "amd64", 5, 1, 10);
    Image arm = TestImages.build(Format.OCI, "arm64", 6, 1, 10);
    Registries registries = registries();
    push(registries, amd, ref("multi:amd64"), new RecordingListener());
    push(registries, arm, ref("multi:arm64"), new RecordingListener());
    Index index = Index.create(List.of(withPlatform(amd, "amd64"), withPlatform(arm, "arm64")));
    registries.client(registry.registry()).repository("multi", List.of(io.imgtool.registry.Scope.push("multi")))
        .putManifest("latest", index.bytes(), MediaType.OCI_INDEX);

    PullResult result = new Puller(registries, 2, RetryPolicy.defaults(), new RecordingListener())
        .pull(ref("multi:latest"), Platform.parse("linux/arm64"), new MemoryTarget());
    assertEquals(arm.manifest().digest(), result.manifest().digest());
    assertEquals(index.digest(), result.distributionDigest(), "the digest the registry knows the image by");

    RegistryException e = assertThrows(RegistryException.class, () -> new RemoteImages(registries)
        .fetch(ref("multi:latest"), Platform.parse("linux/s390x")));
    assertTrue(e.getMessage().contains("linux/amd64, linux/arm64"), e.getMessage());
  }

  private static Descriptor withPlatform(Image image, String arch) {
    ObjectNode json = image.manifest().descriptor().toJson();
    json.putObject("platform").put("os", "linux").put("architecture", arch);
    return Descriptor.fromJson(json);
  }

  @Test
  void remoteImageFetchesLayersOnlyWhenOpened() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 7, 2, 100);
    push(registries(), image, ref("lazy:1"), new RecordingListener());

    List<String> trace = new CopyOnWriteArrayList<>();
    Registries traced = new Registries(TransportPolicy.defaults(), CredentialProvider.NONE, List.of(), trace::add);
    RemoteImage remote = new RemoteImages(traced).fetch(ref("lazy:1"), Platform.parse("linux/amd64"));
    Descriptor layer = image.layers().get(0);
    assertFalse(trace.stream().anyMatch(l -> l.contains("GET") && l.contains(layer.digest().toString())));
    assertEquals(image.config().digest(), remote.config().digest());

    try (var in = remote.blobs().open(layer)) {
      assertEquals(layer.size(), in.readAllBytes().length);
    }
    assertTrue(trace.stream().anyMatch(l -> l.contains("GET") && l.contains(layer.digest().toString())));
  }

  @Test
  void catalogFollowsEveryPage() throws Exception {
    Registries registries = registries();
    Image image = TestImages.build(Format.OCI, "amd64", 8, 1, 10);
    for (String name : List.of("cat/a", "cat/b", "cat/c", "cat/d", "cat/e")) {
      push(registries, image, ref(name + ":1"), new RecordingListener());
    }
    RegistryClient client = registries.client(registry.registry());
    List<String> all = client.catalog(0);
    List<String> paged = client.catalog(2);
    assertEquals(all, paged);
    assertTrue(paged.containsAll(List.of("cat/a", "cat/b", "cat/c", "cat/d", "cat/e")), paged.toString());
  }

  @Test
  void tagsListsEveryTag() throws Exception {
    Registries registries = registries();
    Image image = TestImages.build(Format.OCI, "amd64", 9, 1, 10);
    for (String tag : List.of("1.0", "1.1", "latest")) {
      push(registries, image, ref("tagged:" + tag), new RecordingListener());
    }
    List<String> tags = registries.client(registry.registry()).repositoryForPull("tagged").tags(0);
    assertEquals(List.of("1.0", "1.1", "latest"), tags.stream().sorted().toList());
  }

  @Test
  void unknownTagAndRepositoryAreExplained() {
    RegistryException tag = assertThrows(RegistryException.class,
        () -> new RemoteImages(registries()).fetch(ref("tagged:nope"), Platform.host()));
    assertTrue(tag.hasCode("MANIFEST_UNKNOWN"), tag.getMessage());
    assertTrue(tag.getMessage().contains("No such tag"), tag.getMessage());
  }

  @Test
  void verifiedHttpsToAPlainHttpRegistryNamesTheProblemAndBothFixes() {
    TransportPolicy secure = TransportPolicy.builder().loopbackInsecure(false).build();
    Registries registries = new Registries(secure, CredentialProvider.NONE);
    RegistryException e = assertThrows(RegistryException.class,
        () -> registries.client(registry.registry()).catalog(0));
    assertTrue(e.getMessage().contains("server gave HTTP response to HTTPS client"), e.getMessage());
    assertTrue(e.getMessage().contains("--insecure"), e.getMessage());
    assertTrue(e.getMessage().contains("insecure-registries"), e.getMessage());

    Registries listed = new Registries(TransportPolicy.builder().loopbackInsecure(false)
        .insecureRegistries(List.of("127.0.0.0/8")).build(), CredentialProvider.NONE);
    assertTrue(assertDoesNotThrowCatalog(listed));
  }

  private static boolean assertDoesNotThrowCatalog(Registries registries) {
    try {
      registries.client(registry.registry()).catalog(0);
      return true;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void dockerHubPullsTryMirrorsFirst() throws Exception {
    Image image = TestImages.build(Format.DOCKER, "amd64", 10, 1, 10);
    push(registries(), image, ref("library/mirrored:1"), new RecordingListener());

    List<String> mirrors = List.of("http://127.0.0.1:1", "http://" + registry.registry());
    Registries withMirrors = new Registries(TransportPolicy.defaults(), CredentialProvider.NONE, mirrors,
        HttpTrace.NONE);
    PullResult result = new Puller(withMirrors, 2, new RetryPolicy(1, java.time.Duration.ZERO,
        java.time.Duration.ZERO), new RecordingListener())
        .pull(ImageReference.parse("mirrored:1"), Platform.parse("linux/amd64"), new MemoryTarget());
    assertEquals(registry.registry(), result.endpoint());
    assertEquals("docker.io/library/mirrored", result.reference().name());
    assertEquals(image.manifest().digest(), result.manifest().digest());
  }

  @Test
  void manifestBytesArePushedExactly() throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 11, 1, 10);
    Registries registries = registries();
    push(registries, image, ref("exact:1"), new RecordingListener());
    var fetched = registries.client(registry.registry()).repositoryForPull("exact").getManifest("1");
    assertEquals(new String(image.manifest().bytes(), StandardCharsets.UTF_8),
        new String(fetched.bytes(), StandardCharsets.UTF_8));
    assertEquals(MediaType.OCI_MANIFEST, fetched.mediaType());
  }

  @Test
  void jibCoreCanPullWhatImgtoolPushed(@TempDir Path work) throws Exception {
    Image image = TestImages.build(Format.OCI, "amd64", 12, 2, 1000);
    push(registries(), image, ref("jib/check:1"), new RecordingListener());

    Path tar = work.resolve("out.tar");
    com.google.cloud.tools.jib.api.Jib.from(
            com.google.cloud.tools.jib.api.RegistryImage.named(registry.registry() + "/jib/check:1"))
        .containerize(com.google.cloud.tools.jib.api.Containerizer
            .to(com.google.cloud.tools.jib.api.TarImage.at(tar).named("jib-out:1"))
            .setAllowInsecureRegistries(true)
            .setBaseImageLayersCache(work.resolve("base-cache"))
            .setApplicationLayersCache(work.resolve("app-cache")));

    List<String> entries = new java.util.ArrayList<>();
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.add(e.getName());
      }
    }
    for (Descriptor layer : image.layers()) {
      assertTrue(entries.stream().anyMatch(n -> n.contains(layer.digest().hex())), entries.toString());
    }
  }
}
