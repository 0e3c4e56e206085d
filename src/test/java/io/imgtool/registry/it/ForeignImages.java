package io.imgtool.registry.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Images in a registry as the world makes them, not as imgtool does, for tests that read them:
 * Docker v2s2 pretty-printed as {@code docker push} writes it and compact as most other tools do,
 * OCI with annotations, an OCI index with two platforms and an attestation, a Docker manifest
 * list, a static-busybox image that containerd can run, and an image and an index built and pushed
 * by buildah.
 * Manifests, configs and layers are made here byte by byte (layers with {@link Tars}, JSON as Go
 * writes it), uploaded with {@link RegistryFixture#putBlob} and {@link RegistryFixture#putManifest}.
 * Every layer has a few files, a directory, a symlink and a hard link; every config is a valid
 * image config whose rootfs.diff_ids are the sha256 of the uncompressed layers.
 */
public final class ForeignImages {
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String CREATED = "2023-11-14T22:13:20Z";
  /** docker push writes manifests with json.MarshalIndent(m, "", "   "). */
  private static final String DOCKER_INDENT = "   ";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** What a test needs of a pushed image: its name (host:port/repository:tag), digest and exact manifest bytes. */
  public record ForeignImage(String reference, String digest, byte[] manifest) {
    /** host:port/repository@digest. */
    public String byDigest() {
      return reference.substring(0, reference.lastIndexOf(':')) + "@" + digest;
    }

    public JsonNode manifestJson() throws IOException {
      return new ObjectMapper().readTree(manifest);
    }
  }

  /** buildah's image pushed twice, converted by buildah to each format. */
  public record BuildahImages(ForeignImage oci, ForeignImage docker) {}

  /** A layer: the tar, its gzip as uploaded, and their digests. */
  record Layer(byte[] tar, byte[] gzip, String diffId, String digest) {
    static Layer of(Tars tars) throws Exception {
      byte[] tar = tars.bytes();
      byte[] gzip = Tars.gzip(tar);
      return new Layer(tar, gzip, RegistryFixture.sha256(tar), RegistryFixture.sha256(gzip));
    }
  }

  private final RegistryFixture registry;

  public ForeignImages(RegistryFixture registry) {
    this.registry = registry;
  }

  // ---- (a) (b) Docker v2s2

  /** Docker v2s2 pretty-printed with 3 spaces, exactly as {@code docker push} writes it. */
  public ForeignImage dockerPretty(String repository) throws Exception {
    ObjectNode manifest = dockerManifest(uploadImage(repository, DOCKER_CONFIG, hostArchitecture(), "debian-ish"));
    return push(repository, "1", GoJson.indented(manifest, DOCKER_INDENT), DOCKER_MANIFEST);
  }

  /** The same content as {@link #dockerPretty}, its manifest compact (another digest for the same image). */
  public ForeignImage dockerCompact(String repository) throws Exception {
    ObjectNode manifest = dockerManifest(uploadImage(repository, DOCKER_CONFIG, hostArchitecture(), "debian-ish"));
    return push(repository, "1", GoJson.compact(manifest), DOCKER_MANIFEST);
  }

  // ---- (c) OCI with annotations

  /** An OCI manifest with annotations on the manifest and on a layer, as BuildKit and ORAS write them. */
  public ForeignImage ociAnnotated(String repository) throws Exception {
    Uploaded image = uploadImage(repository, OCI_CONFIG, hostArchitecture(), "oci-ish");
    ObjectNode manifest = ociManifest(image);
    ((ObjectNode) manifest.withArray("layers").get(0)).putObject("annotations")
        .put("org.opencontainers.image.title", "base.tar.gz");
    manifest.putObject("annotations")
        .put("org.opencontainers.image.created", CREATED)
        .put("org.opencontainers.image.source", "https://example.com/judges?a=1&b=<2>")
        .put("com.example.note", "made by ForeignImages, not by imgtool");
    return push(repository, "1", GoJson.compact(manifest), OCI_MANIFEST);
  }

  // ---- (d) (e) multi-platform

  /**
   * An OCI index: linux/amd64 and linux/arm64 (different layers and configs), and an
   * unknown/unknown attestation manifest referring to the amd64 one, as BuildKit pushes it.
   */
  public ForeignImage ociIndex(String repository) throws Exception {
    ArrayNode manifests = JSON.arrayNode();
    for (String architecture : List.of("amd64", "arm64")) {
      Uploaded image = uploadImage(repository, OCI_CONFIG, architecture, "index-" + architecture);
      byte[] bytes = GoJson.compact(ociManifest(image));
      String digest = registry.putManifest(repository, RegistryFixture.sha256(bytes), bytes, OCI_MANIFEST);
      manifests.add(descriptor(OCI_MANIFEST, digest, bytes.length).set("platform", platform(architecture, null)));
    }
    manifests.add(attestation(repository, manifests.get(0).get("digest").asText()));
    ObjectNode index = JSON.objectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
    index.set("manifests", manifests);
    return push(repository, "1", GoJson.compact(index), OCI_INDEX);
  }

  /** A Docker manifest list of linux/amd64 and linux/arm64/v8 v2s2 images. */
  public ForeignImage dockerList(String repository) throws Exception {
    ArrayNode manifests = JSON.arrayNode();
    for (String architecture : List.of("amd64", "arm64")) {
      Uploaded image = uploadImage(repository, DOCKER_CONFIG, architecture, "list-" + architecture);
      byte[] bytes = GoJson.indented(dockerManifest(image), DOCKER_INDENT);
      String digest = registry.putManifest(repository, RegistryFixture.sha256(bytes), bytes, DOCKER_MANIFEST);
      manifests.add(descriptor(DOCKER_MANIFEST, digest, bytes.length)
          .set("platform", platform(architecture, architecture.equals("arm64") ? "v8" : null)));
    }
    ObjectNode list = JSON.objectNode().put("schemaVersion", 2).put("mediaType", DOCKER_LIST);
    list.set("manifests", manifests);
    return push(repository, "1", GoJson.indented(list, DOCKER_INDENT), DOCKER_LIST);
  }

  // ---- any layers

  /** An OCI image (this machine's architecture) of exactly these layers, for hostile or odd content. */
  public ForeignImage ociOf(String repository, String tag, Tars... layers) throws Exception {
    List<Layer> built = new java.util.ArrayList<>();
    for (Tars layer : layers) {
      built.add(Layer.of(layer));
    }
    Uploaded image = upload(repository, OCI_CONFIG, built, config(hostArchitecture(), built, List.of("/bin/sh")));
    return push(repository, tag, GoJson.compact(ociManifest(image)), OCI_MANIFEST);
  }

  // ---- an image containerd can run

  /**
   * OCI, this machine's architecture: Debian's static busybox as /bin/busybox (and /bin/sh), then
   * the usual small layer; {@code ctr run … /bin/busybox echo ok} prints ok.
   */
  public ForeignImage busybox(String repository) throws Exception {
    Path busybox = Path.of("/bin/busybox");
    Judges.require("busybox");
    if (!isStatic(busybox)) {
      throw new IllegalStateException(busybox + " is dynamically linked: install busybox-static, not busybox");
    }
    Layer base = Layer.of(Tars.create().dir("bin").file("bin/busybox", Files.readAllBytes(busybox), 0100755)
        .symlink("bin/sh", "busybox"));
    Layer top = Layer.of(smallFiles("busybox"));
    Uploaded image = upload(repository, OCI_CONFIG, List.of(base, top),
        config(hostArchitecture(), List.of(base, top), List.of("/bin/sh")));
    return push(repository, "1", GoJson.compact(ociManifest(image)), OCI_MANIFEST);
  }

  /** A dynamically linked ELF names its loader (/lib64/ld-linux-x86-64.so.2, …) near its start. */
  private static boolean isStatic(Path binary) throws IOException {
    byte[] head = new byte[4096];
    try (var in = Files.newInputStream(binary)) {
      int n = in.readNBytes(head, 0, head.length);
      return !new String(head, 0, n, StandardCharsets.ISO_8859_1).contains("/ld-");
    }
  }

  // ---- (f) buildah

  /**
   * An image built by buildah as root in {@code storage} and pushed by it as OCI ({@code
   * repository:oci}) and as Docker v2s2 ({@code repository:docker}). First layer: a hard-linked
   * pair with a binary user xattr, a copy of /bin/true with cap_net_raw=+ep, a read-only 0555
   * directory with a file inside, a symlink climbing above /, a file to delete; second layer
   * (a second {@code from} on the first commit): that file deleted (a whiteout) and one added.
   */
  public BuildahImages buildah(Path storage, String repository) throws Exception {
    return new BuildahSteps(registry, storage).build(repository);
  }

  /** A two-platform OCI index (linux/amd64, linux/arm64) made and pushed by {@code buildah manifest}. */
  public ForeignImage buildahIndex(Path storage, String repository) throws Exception {
    return new BuildahSteps(registry, storage).buildIndex(repository);
  }

  // ---- building blocks

  /** The blobs of an image, uploaded: its config and layers. */
  record Uploaded(String configMediaType, byte[] config, List<Layer> layers, String layerMediaType) {}

  /** Two layers (small files; then a file added, one deleted) and their config, uploaded. */
  private Uploaded uploadImage(String repository, String configMediaType, String architecture, String flavour)
      throws Exception {
    Layer base = Layer.of(smallFiles(flavour));
    Layer top = Layer.of(Tars.create().dir("srv").file("srv/data.txt", "data of " + flavour + "\n")
        .dir("etc").whiteout("etc/motd"));
    return upload(repository, configMediaType, List.of(base, top),
        config(architecture, List.of(base, top), List.of("/bin/hello")));
  }

  private Uploaded upload(String repository, String configMediaType, List<Layer> layers, ObjectNode config)
      throws Exception {
    byte[] configBytes = GoJson.compact(config);
    registry.putBlob(repository, configBytes);
    for (Layer layer : layers) {
      registry.putBlob(repository, layer.gzip);
    }
    return new Uploaded(configMediaType, configBytes, layers,
        configMediaType.equals(DOCKER_CONFIG) ? DOCKER_LAYER : OCI_LAYER);
  }

  /** A few files, a directory, a symlink and a hard link (its header with its target's mode, as tar writes it). */
  static Tars smallFiles(String flavour) {
    return Tars.create()
        .dir("bin").file("bin/hello", "#!/bin/sh\necho hello from " + flavour + "\n", 0100755)
        .hardLink("bin/hello-again", "bin/hello", 0100755)
        .dir("etc").file("etc/os-release", "NAME=" + flavour + "\n")
        .symlink("etc/motd", "os-release")
        .dir("var").dir("var/empty");
  }

  static ObjectNode config(String architecture, List<Layer> layers, List<String> cmd) {
    ObjectNode config = JSON.objectNode().put("architecture", architecture);
    ObjectNode run = config.putObject("config");
    run.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    ArrayNode command = run.putArray("Cmd");
    cmd.forEach(command::add);
    config.put("created", CREATED);
    ArrayNode history = config.putArray("history");
    for (Layer layer : layers) {
      history.addObject().put("created", CREATED)
          .put("created_by", "/bin/sh -c #(nop) ADD file:" + layer.diffId.substring(7, 19) + " in / ");
    }
    config.put("os", "linux");
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(layer -> diffIds.add(layer.diffId));
    return config;
  }

  /** Field order of Docker's own schema2 struct: schemaVersion, mediaType, config, layers; size before digest. */
  private static ObjectNode dockerManifest(Uploaded image) throws Exception {
    ObjectNode manifest = JSON.objectNode().put("schemaVersion", 2).put("mediaType", DOCKER_MANIFEST);
    String configDigest = RegistryFixture.sha256(image.config);
    manifest.set("config", dockerDescriptor(image.configMediaType, image.config.length, configDigest));
    ArrayNode layers = manifest.putArray("layers");
    for (Layer layer : image.layers) {
      layers.add(dockerDescriptor(image.layerMediaType, layer.gzip.length, layer.digest));
    }
    return manifest;
  }

  private static ObjectNode dockerDescriptor(String mediaType, long size, String digest) {
    return JSON.objectNode().put("mediaType", mediaType).put("size", size).put("digest", digest);
  }

  /** Field order of the OCI image-spec's Go structs: mediaType, digest, size. */
  private static ObjectNode ociManifest(Uploaded image) throws Exception {
    ObjectNode manifest = JSON.objectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    String configDigest = RegistryFixture.sha256(image.config);
    manifest.set("config", descriptor(image.configMediaType, configDigest, image.config.length));
    ArrayNode layers = manifest.putArray("layers");
    for (Layer layer : image.layers) {
      layers.add(descriptor(image.layerMediaType, layer.digest, layer.gzip.length));
    }
    return manifest;
  }

  private static ObjectNode descriptor(String mediaType, String digest, long size) {
    return JSON.objectNode().put("mediaType", mediaType).put("digest", digest).put("size", size);
  }

  private static ObjectNode platform(String architecture, String variant) {
    ObjectNode platform = JSON.objectNode().put("architecture", architecture).put("os", "linux");
    return variant == null ? platform : platform.put("variant", variant);
  }

  /** BuildKit's attestation manifest: an in-toto layer, unknown/unknown, pointing at the image it attests. */
  private ObjectNode attestation(String repository, String subject) throws Exception {
    ObjectNode inToto = JSON.objectNode().put("_type", "https://in-toto.io/Statement/v0.1")
        .put("predicateType", "https://spdx.dev/Document");
    inToto.putObject("predicate").put("spdxVersion", "SPDX-2.3");
    byte[] statement = GoJson.compact(inToto);
    registry.putBlob(repository, statement);
    ObjectNode config = JSON.objectNode().put("architecture", "unknown").put("os", "unknown");
    config.putObject("config");
    config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(RegistryFixture.sha256(statement));
    byte[] configBytes = GoJson.compact(config);
    registry.putBlob(repository, configBytes);
    ObjectNode manifest = JSON.objectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    manifest.set("config", descriptor(OCI_CONFIG, RegistryFixture.sha256(configBytes), configBytes.length));
    ObjectNode layer = descriptor("application/vnd.in-toto+json", RegistryFixture.sha256(statement), statement.length);
    layer.putObject("annotations").put("in-toto.io/predicate-type", "https://spdx.dev/Document");
    manifest.putArray("layers").add(layer);
    byte[] bytes = GoJson.compact(manifest);
    String digest = registry.putManifest(repository, RegistryFixture.sha256(bytes), bytes, OCI_MANIFEST);
    ObjectNode entry = descriptor(OCI_MANIFEST, digest, bytes.length);
    entry.putObject("annotations").put("vnd.docker.reference.digest", subject)
        .put("vnd.docker.reference.type", "attestation-manifest");
    entry.set("platform", JSON.objectNode().put("architecture", "unknown").put("os", "unknown"));
    return entry;
  }

  private ForeignImage push(String repository, String tag, byte[] manifest, String mediaType) throws Exception {
    String digest = registry.putManifest(repository, tag, manifest, mediaType);
    if (!digest.equals(RegistryFixture.sha256(manifest))) {
      throw new IllegalStateException("the registry changed the manifest: " + digest);
    }
    return new ForeignImage(registry.registry() + "/" + repository + ":" + tag, digest, manifest);
  }

  /** Image configs and index platforms name architectures as Go does. */
  static String hostArchitecture() {
    return Map.of("amd64", "amd64", "x86_64", "amd64", "aarch64", "arm64")
        .getOrDefault(System.getProperty("os.arch"), System.getProperty("os.arch"));
  }
}
