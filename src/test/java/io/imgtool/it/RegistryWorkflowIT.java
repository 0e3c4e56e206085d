package io.imgtool.it;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.cli.Cli;
import io.imgtool.image.Json;
import io.imgtool.registry.it.NetnsRegistry;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import io.imgtool.testing.TreeHash;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed's registry workflow through the command line, daemonless: a base pushed to a loopback
 * registry, a commit on that registry base in a fresh store (lazy: layers stay remote), a tag by
 * image-ID prefix, a push to a plain-HTTP registry off loopback (refused without --insecure or
 * insecure-registries), catalog, and pulls; checked by curl, skopeo and umoci.
 */
class RegistryWorkflowIT {
  private static final Pattern PUSHED = Pattern.compile("(.+)@(sha256:[0-9a-f]{64})");

  @TempDir static Path dir;
  static RegistryFixture loopback;
  static NetnsRegistry offLoopback;
  static Path files;
  /** The store that built the base and pushed it as 127.0.0.1:PORT/debian:base. */
  static Cli seeder;
  /** A fresh store whose only image is myubuntu:1.1, committed on the registry base. */
  static Cli dev;
  static String baseLayer;
  static String committedId;
  private static Cli.Result pushToLoopback;

  @BeforeAll
  static void seed() throws Exception {
    Judges.require("docker-registry");
    loopback = RegistryFixture.plain(dir.resolve("loopback"));
    if (NetnsRegistry.isAvailable()) {
      offLoopback = NetnsRegistry.start(dir.resolve("netns"));
    }
    files = Files.createDirectory(dir.resolve("files"));
    Path rootfs = Tars.create().dir("bin").file("bin/sh", "#!shell", 0100755)
        .dir("etc").file("etc/os-release", "NAME=debian-ish\n")
        .writeGzip(files.resolve("rootfs.tar.gz"));
    Tars.create().dir("usr").dir("usr/bin").file("usr/bin/vim", "vim binary", 0100755)
        .write(files.resolve("x.tar"));

    seeder = new Cli(Files.createDirectory(dir.resolve("seeder")));
    seeder.run("import", rootfs.toString(), base()).ok();
    Cli.Result pushed = seeder.run("push", base()).ok();
    assertTrue(pushed.line().matches(Pattern.quote(loopback.registry() + "/debian@") + "sha256:[0-9a-f]{64}"),
        pushed.toString());
    baseLayer = layers(seeder, base()).get(0);

    dev = new Cli(Files.createDirectory(dir.resolve("dev")));
    committedId = dev.run("commit", "-m", "add vim cmd", "-a", "authoryu", "--layer",
        files.resolve("x.tar").toString(), base(), "myubuntu:1.1").ok().line();
  }

  @AfterAll
  static void stop() throws Exception {
    if (offLoopback != null) {
      offLoopback.close();
    }
    if (loopback != null) {
      loopback.close();
    }
  }

  static String base() {
    return loopback.registry() + "/debian:base";
  }

  @Test
  void dockerFormatImagesArePushedAsDockerAndPulledBackWithTheSameId() throws Exception {
    String id = seeder.run("commit", "--format", "docker", "--layer", files.resolve("x.tar").toString(),
        base(), "dockerfmt:1").ok().line();
    String target = loopback.registry() + "/dockerfmt:1";
    seeder.run("push", "dockerfmt:1", target).ok();
    String raw = Tools.run("skopeo", "inspect", "--tls-verify=false", "--raw", "docker://" + target).orFail().out();
    JsonNode manifest = Json.MAPPER.readTree(raw);
    assertEquals("application/vnd.docker.distribution.manifest.v2+json", manifest.get("mediaType").asText());
    assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip",
        manifest.at("/layers/1/mediaType").asText(), raw);
    assertEquals(id, manifest.at("/config/digest").asText());

    Cli fresh = new Cli(Files.createDirectory(dir.resolve("dockerfmt")));
    fresh.run("pull", target).ok();
    JsonNode pulled = inspect(fresh, target);
    assertEquals("docker", pulled.get("Format").asText());
    assertEquals(id, pulled.get("Id").asText());
    // The store itself stays an OCI layout that skopeo reads, whatever the image's own format.
    Tools.run("skopeo", "inspect", "oci:" + fresh.store() + ":" + loopback.registry() + "/dockerfmt:1").orFail();
  }

  @Test
  void anInsecureRegistryThatSpeaksPlainHttpIsRememberedForTheNextCommand() throws Exception {
    Judges.requireThat(offLoopback != null, "no network namespace: " + NetnsRegistry.unavailableReason().orElse(""));
    Cli cli = new Cli(Files.createDirectory(dir.resolve("remember")));
    Cli.Result first = cli.run("--debug", "catalog", "--insecure", offLoopback.host()).ok();
    assertTrue(first.err().contains("GET https://" + offLoopback.host() + "/v2/"), first.err());
    Cli.Result second = cli.run("--debug", "catalog", "--insecure", offLoopback.host()).ok();
    assertFalse(second.err().contains("https://"), "no TLS attempt the second time: " + second.err());
    assertEquals(first.out(), second.out());
    // The memory only shortens the probe: without --insecure the registry is still refused.
    Cli.Result refused = cli.run("catalog", offLoopback.host());
    assertEquals(1, refused.exit(), refused.toString());
    assertTrue(refused.err().contains("server gave HTTP response to HTTPS client"), refused.err());
  }

  @Test
  void aSecondRepositoryOfTheNamespaceGetsTheLayersMountedAsWithDocker() throws Exception {
    Cli cli = new Cli(Files.createDirectory(dir.resolve("mounts")));
    cli.run("import", files.resolve("x.tar").toString(), "mounts:1").ok();
    String layer = layers(cli, "mounts:1").get(0).substring(7, 19);
    cli.run("push", "mounts:1", loopback.registry() + "/team/mounts-a:1").ok();
    Cli.Result second = cli.run("push", "mounts:1", loopback.registry() + "/team/mounts-b:1").ok();
    assertTrue(second.err().contains(layer + ": Mounted from team/mounts-a"), second.err());
    String tags = Tools.run("curl", "-s", "http://" + loopback.registry() + "/v2/team/mounts-b/tags/list")
        .orFail().out();
    assertTrue(tags.contains("\"1\""), tags);
  }

  @Test
  void aCorruptLocalLayerIsRefusedByTheRegistryAndNothingIsTagged() throws Exception {
    Cli cli = new Cli(Files.createDirectory(dir.resolve("corrupt")));
    cli.run("import", files.resolve("x.tar").toString(), "corrupt:1").ok();
    String layer = layers(cli, "corrupt:1").get(0);
    Path blob = cli.store().resolve("blobs/sha256").resolve(layer.substring("sha256:".length()));
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(blob, bytes);
    Cli.Result push = cli.run("push", "--retries", "0", "corrupt:1", loopback.registry() + "/corrupt:1");
    assertEquals(1, push.exit(), push.toString());
    assertTrue(push.err().toLowerCase().contains("digest"), push.err());
    String tags = Tools.run("curl", "-s", "http://" + loopback.registry() + "/v2/corrupt/tags/list").orFail().out();
    assertFalse(tags.contains("\"1\""), tags);
  }

  @Test
  void commitOnARegistryBaseFetchesOnlyItsManifestAndConfig() throws Exception {
    assertTrue(committedId.matches("sha256:[0-9a-f]{64}"), committedId);
    assertFalse(hasBlob(dev, baseLayer), "the base layer stays in the registry until needed");
    List<String> layers = layers(dev, "myubuntu:1.1");
    assertEquals(2, layers.size());
    assertEquals(baseLayer, layers.get(0));
    assertTrue(hasBlob(dev, layers.get(1)), "the new layer is in the store");

    String history = dev.run("history", "myubuntu:1.1").ok().out();
    assertTrue(history.lines().skip(1).findFirst().orElseThrow().contains("add vim cmd"), history);
    JsonNode image = inspect(dev, "myubuntu:1.1");
    assertEquals("authoryu", image.at("/ImageConfig/author").asText(), image.toString());
  }

  /** The seed's "Done when": tag by ID prefix, push --insecure off loopback, catalog, curl, skopeo, umoci. */
  @Test
  void pushToAPlainHttpRegistryOffLoopbackNeedsInsecure() throws Exception {
    assumeNetns();
    String target = offLoopback.host() + "/yyubuntu:1.2";
    dev.run("tag", committedId.substring(7, 19), target).ok();

    Cli.Result refused = dev.run("push", target);
    assertEquals(1, refused.exit(), refused.toString());
    assertEquals("", refused.out(), "nothing on stdout");
    assertTrue(refused.err().contains("server gave HTTP response to HTTPS client"), refused.err());
    assertTrue(refused.err().contains("--insecure"), refused.err());
    assertTrue(refused.err().contains("insecure-registries in the settings file ("
        + dev.store().resolveSibling(".config").resolve("imgtool/config.json") + ")"), "names the file: " + refused.err());
    assertNoStackTrace(refused.err());
    assertEquals(1, refused.err().lines().filter(l -> l.contains("HTTP response to HTTPS")).count(),
        "said once, not retried per blob: " + refused.err());
    assertFalse(curlCatalog().contains("yyubuntu"), "nothing was pushed over plain HTTP unasked");

    Cli.Result pushed = dev.run("push", "--insecure", target).ok();
    Matcher m = PUSHED.matcher(pushed.line());
    assertTrue(m.matches(), pushed.out());
    assertEquals(offLoopback.host() + "/yyubuntu", m.group(1));
    assertFalse(hasBlob(dev, baseLayer), "pushing elsewhere streams the base layer through the store-less path");

    List<String> catalog = dev.run("catalog", "--insecure", offLoopback.host()).ok().out().lines().toList();
    assertTrue(catalog.contains("yyubuntu"), catalog.toString());
    assertTrue(curlCatalog().contains("\"yyubuntu\""), curlCatalog());

    Judges.require("skopeo", "umoci");
    JsonNode remote = io.imgtool.registry.it.Tools.skopeoInspect(target, null);
    assertEquals(m.group(2), remote.path("Digest").asText());
    Path rootfs = io.imgtool.registry.it.Tools.pullAndUnpack(target, null, Files.createTempDirectory(dir, "umoci"));
    assertEquals("NAME=debian-ish\n", Files.readString(rootfs.resolve("etc/os-release"), StandardCharsets.UTF_8));
    assertEquals("vim binary", Files.readString(rootfs.resolve("usr/bin/vim"), StandardCharsets.UTF_8));
  }

  @Test
  void insecureRegistriesCidrInTheSettingsFileAllowsThePush() throws Exception {
    assumeNetns();
    Path settings = files.resolve("settings-cidr.json");
    Files.writeString(settings, "{\"insecure-registries\": [\"" + offLoopback.cidr() + "\"]}");
    String target = offLoopback.host() + "/bycidr:1";

    Cli.Result pushed = dev.run("--config", settings.toString(), "push", "myubuntu:1.1", target).ok();
    assertTrue(pushed.line().startsWith(offLoopback.host() + "/bycidr@sha256:"), pushed.out());
    List<String> catalog = dev.run("--config", settings.toString(), "catalog", offLoopback.host())
        .ok().out().lines().toList();
    assertTrue(catalog.contains("bycidr"), catalog.toString());
  }

  @Test
  void pushToTheBasesOwnRegistryMountsTheBaseLayers() throws Exception {
    Cli.Result pushed = pushToLoopback();
    String shortHex = baseLayer.substring(7, 19);
    assertTrue(pushed.err().lines().anyMatch(l -> l.startsWith(shortHex + ": Mounted from") && l.contains("debian")),
        pushed.err());
    assertTrue(pushed.err().contains(": Pushed"), "the new layer is uploaded: " + pushed.err());
    assertFalse(hasBlob(dev, baseLayer), "a mount needs no download of the base layer");
    assertTrue(pushed.err().contains("DEBUG"), "the HTTP trace is on: " + pushed.err());
    String baseHex = baseLayer.substring("sha256:".length());
    assertTrue(pushed.err().lines().anyMatch(l -> l.contains("mount=") && l.contains(baseHex)), pushed.err());
    assertFalse(pushed.err().lines().anyMatch(l -> l.contains("> GET ") && l.contains(baseHex)),
        "the base layer was never fetched: " + pushed.err());
    assertEquals(loopback.registry() + "/myubuntu", matcher(pushed).group(1));
  }

  @Test
  void pullIntoAFreshStoreGivesTheSameDigestAndResumes() throws Exception {
    String digest = matcher(pushToLoopback()).group(2);
    String name = loopback.registry() + "/myubuntu:1.1";
    Cli puller = new Cli(Files.createTempDirectory(dir, "puller"));

    Cli.Result pulled = puller.run("pull", name).ok();
    assertEquals(loopback.registry() + "/myubuntu@" + digest, pulled.line(), "the repository digest, as push prints it");
    String images = puller.run("images").ok().out();
    assertTrue(images.lines().anyMatch(l -> l.matches(Pattern.quote(loopback.registry() + "/myubuntu")
        + "\\s+1\\.1\\s+" + committedId.substring(7, 19) + "\\s+.*")), images);
    StoreCheck.verifyAllBlobs(puller.store());

    String before = TreeHash.of(puller.store());
    Cli.Result again = puller.run("pull", name).ok();
    assertEquals(pulled.line(), again.line());
    for (String layer : layers(puller, name)) {
      assertTrue(again.err().contains(layer.substring(7, 19) + ": Already exists"), again.err());
    }
    assertEquals(before, TreeHash.of(puller.store()), "a re-run changes nothing");

    Judges.require("skopeo");
    JsonNode inspect = Json.MAPPER.readTree(
        Tools.run("skopeo", "inspect", "oci:" + puller.store() + ":" + name).orFail().out());
    assertEquals(digest, inspect.path("Digest").asText(), inspect.toString());
    assertEquals(2, inspect.path("Layers").size(), inspect.toString());
    JsonNode config = Json.MAPPER.readTree(Tools.run("skopeo", "inspect", "--raw", "--config",
        "oci:" + puller.store() + ":" + name).orFail().out());
    assertEquals("authoryu", config.path("author").asText(), config.toString());
  }

  @Test
  void catalogAndTagsFollowEveryPage() throws Exception {
    Cli pager = new Cli(Files.createTempDirectory(dir, "pager"));
    pager.run("import", files.resolve("x.tar").toString(), "small:1").ok();
    List<String> repositories = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      repositories.add("pages/r" + i);
      pager.run("-q", "push", "small:1", loopback.registry() + "/pages/r" + i + ":1").ok();
      pager.run("-q", "push", "small:1", loopback.registry() + "/pages/tagged:t" + i).ok();
    }
    repositories.add("pages/tagged");

    List<String> catalog = pager.run("catalog", "-n", "2", loopback.registry()).ok().out().lines().toList();
    assertTrue(catalog.containsAll(repositories), catalog.toString());
    assertEquals(catalog.size(), new HashSet<>(catalog).size(), "no repository twice: " + catalog);
    JsonNode all = Json.MAPPER.readTree(curl("http://" + loopback.registry() + "/v2/_catalog?n=1000"));
    Set<String> expected = new HashSet<>();
    all.get("repositories").forEach(r -> expected.add(r.asText()));
    assertEquals(expected, new HashSet<>(catalog), "the same as one big page");

    List<String> tags = pager.run("tags", "-n", "2", loopback.registry() + "/pages/tagged").ok().out().lines().toList();
    assertEquals(List.of("t1", "t2", "t3", "t4", "t5"), tags.stream().sorted().toList());
  }

  static Stream<Arguments> badRegistryCommands() throws Exception {
    String port = "127.0.0.1:" + freePort();
    String reg = "REG";
    return Stream.of(
        Arguments.of(1, "push to an unreachable registry", "push small:1 " + port + "/x:1", port + "|connection refused"),
        Arguments.of(1, "pull from an unreachable registry", "pull " + port + "/x:1", port + "|connection refused"),
        Arguments.of(1, "catalog of an unreachable registry", "catalog " + port, port + "|connection refused"),
        Arguments.of(1, "commit on an unreachable registry base", "commit " + port + "/x:1 y:1", port + "|connection refused"),
        Arguments.of(1, "pull of an unknown tag", "pull " + reg + "/debian:nosuchtag", "nosuchtag"),
        Arguments.of(1, "pull of an unknown repository", "pull " + reg + "/nosuchrepo:1", "nosuchrepo"),
        Arguments.of(1, "tags of an unknown repository", "tags " + reg + "/nosuchrepo", "nosuchrepo"),
        Arguments.of(2, "pull of a malformed name", "pull " + reg + "/Bad:Name", "Bad:Name"),
        Arguments.of(2, "pull of a short digest", "pull " + reg + "/debian@sha256:abc", "sha256:abc"),
        Arguments.of(2, "push to a malformed name", "push small:1 " + reg + "/UPPER/x:1", "UPPER"),
        Arguments.of(2, "push to a digest", "push small:1 " + reg + "/x@sha256:" + "a".repeat(64), "digest"),
        Arguments.of(2, "tags of a malformed repository", "tags " + reg + "/bad..repo", "bad..repo"),
        Arguments.of(2, "catalog of a malformed registry", "catalog no_such/host:x", "no_such/host:x"),
        Arguments.of(2, "push with a bad --jobs", "push --jobs 0 small:1 " + reg + "/x:1", "--jobs"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badRegistryCommands")
  void badRegistryInputFailsClearlyAndLeavesTheStoreAlone(int exit, String what, String command, String mentioned)
      throws Exception {
    Cli cli = badInputStore();
    String before = TreeHash.of(cli.store());
    String[] args = Arrays.stream(command.split(" ")).map(a -> a.replace("REG", loopback.registry()))
        .toArray(String[]::new);
    Cli.Result result = cli.run(args);
    assertEquals(exit, result.exit(), result.toString());
    assertEquals("", result.out(), "nothing on stdout");
    for (String part : mentioned.split("\\|")) {
      assertTrue(result.err().contains(part), "the error says " + part + ": " + result.err());
    }
    List<String> lines = result.err().lines().filter(l -> !l.isBlank()).toList();
    assertTrue(!lines.isEmpty() && lines.size() <= 2, "one or two lines: " + result.err());
    assertNoStackTrace(result.err());
    assertEquals(before, TreeHash.of(cli.store()), "the store is unchanged");
  }

  private static Cli badInput;

  private static synchronized Cli badInputStore() throws Exception {
    if (badInput == null) {
      badInput = new Cli(Files.createTempDirectory(dir, "bad"));
      badInput.run("import", files.resolve("x.tar").toString(), "small:1").ok();
    }
    return badInput;
  }

  /** The dev store's push of myubuntu:1.1 to the base's own registry, done once. */
  private static synchronized Cli.Result pushToLoopback() {
    if (pushToLoopback == null) {
      pushToLoopback = dev.run("--debug", "push", "myubuntu:1.1", loopback.registry() + "/myubuntu:1.1").ok();
    }
    return pushToLoopback;
  }

  private static Matcher matcher(Cli.Result pushed) {
    Matcher m = PUSHED.matcher(pushed.line());
    assertTrue(m.matches(), pushed.toString());
    return m;
  }

  private static void assumeNetns() {
    Judges.requireThat(offLoopback != null, "no registry off loopback: " + NetnsRegistry.unavailableReason().orElse(""));
  }

  private static String curlCatalog() throws Exception {
    return curl("http://" + offLoopback.host() + "/v2/_catalog");
  }

  private static String curl(String url) throws Exception {
    return Tools.run("curl", "-s", "--max-time", "10", url).orFail().out();
  }

  static void assertNoStackTrace(String err) {
    assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
  }

  static boolean hasBlob(Cli cli, String digest) {
    return Files.exists(cli.store().resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
  }

  static JsonNode inspect(Cli cli, String name) throws Exception {
    JsonNode inspect = Json.MAPPER.readTree(cli.run("inspect", name).ok().out());
    return inspect.isArray() ? inspect.get(0) : inspect;
  }

  static List<String> layers(Cli cli, String name) throws Exception {
    List<String> digests = new ArrayList<>();
    inspect(cli, name).at("/Manifest/layers").forEach(l -> digests.add(l.get("digest").asText()));
    return digests;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
