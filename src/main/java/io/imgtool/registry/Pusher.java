package io.imgtool.registry;

import io.imgtool.image.Parallel;
import io.imgtool.image.TransferListener;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Image;
import io.imgtool.image.Manifest;
import io.imgtool.name.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pushes an image: a HEAD for each blob (skip when present); then each missing blob once, on at
 * most {@code jobs} threads, as a cross-repository mount (when a source repository on the same
 * registry is known) or an upload, each request retried on transient failures; then the
 * manifest, as its exact bytes, last.
 */
public final class Pusher {
  private static final int REMEMBERED_SOURCES = 3;

  private final Registries registries;
  private final int jobs;
  private final RetryPolicy retry;
  private final TransferListener listener;

  public Pusher(Registries registries, int jobs, RetryPolicy retry, TransferListener listener) {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1");
    }
    this.registries = registries;
    this.jobs = jobs;
    this.retry = retry;
    this.listener = listener;
  }

  /**
   * @param origins where some blobs are known to be (e.g. a registry base's repository); those
   *     on the target's registry are mounted instead of uploaded
   * @return the digest of the manifest the registry now holds under the target's tag
   */
  public Digest push(Image image, ImageReference target, Map<Digest, ImageReference> givenOrigins)
      throws IOException {
    RegistryClient client = registries.client(target.registry());
    Descriptor config = image.manifest().config();
    List<Descriptor> blobs = new ArrayList<>(image.layers());
    blobs.add(config);
    Map<Digest, ImageReference> origins = withRemembered(givenOrigins, blobs, client, target);
    Set<String> sources = new LinkedHashSet<>();
    origins.values().stream()
        .filter(o -> TransportPolicy.normalise(o.registry()).equals(client.registry()))
        .filter(o -> !o.repository().equals(target.repository()))
        .forEach(o -> sources.add(o.repository()));
    List<Scope> scopes = new ArrayList<>();
    scopes.add(Scope.push(target.repository()));
    sources.forEach(s -> scopes.add(Scope.pull(s)));
    RemoteRepository repository = client.repository(target.repository(), scopes);

    byte[] configBytes = image.config().bytes();
    List<Descriptor> missing = missing(client, repository, Puller.distinct(blobs));
    Parallel.forEach(jobs, missing, blob -> {
      BlobBody body = blob.digest().equals(config.digest())
          ? () -> new ByteArrayInputStream(configBytes)
          : layerBody(image, blob);
      Optional<String> from = Optional.ofNullable(origins.get(blob.digest()))
          .map(ImageReference::repository).filter(sources::contains);
      pushBlob(repository, blob, body, from);
    });
    Digest digest = pushManifest(repository, image.manifest(), target);
    registries.blobLocations().record(client.registry(), target.repository(),
        blobs.stream().map(Descriptor::digest).toList());
    return digest;
  }

  /**
   * Pushes every image of an index under its own digest, then the index, as its exact bytes,
   * under the target's tag: a multi-platform image whole, as the registry checks that an index's
   * manifests are there before it takes the index.
   *
   * @return the digest of the index
   */
  public Digest pushIndex(List<Image> images, byte[] index, String mediaType, ImageReference target,
      Map<Digest, ImageReference> origins) throws IOException {
    for (Image image : images) {
      push(image, ImageReference.parse(target.name() + "@" + image.manifest().digest()), origins);
    }
    RemoteRepository repository = registries.client(target.registry())
        .repository(target.repository(), List.of(Scope.push(target.repository())));
    String reference = target.tag() != null ? target.tag() : target.digest();
    Digest digest = Retry.write(retry, "pushing index " + target.familiar(), listener,
        () -> repository.putManifest(reference, index, mediaType));
    listener.manifestPushed(target.toString(), digest, index.length);
    return digest;
  }

  /**
   * The given origins, plus remembered repositories of the target's registry for the other blobs.
   * Only repositories in the target's namespace are remembered: the push's credential may read
   * there, and a registry such as Aliyun's or Harbor need not grant a pull scope anywhere else. At
   * most {@link #REMEMBERED_SOURCES} of them, to keep the token request small. A remembered
   * repository also replaces a given origin that cannot serve a mount as well: one on another
   * registry (a base pulled from elsewhere) or in another namespace, which the token may not let
   * this push read; without that, such blobs were uploaded again (issue 12).
   */
  private Map<Digest, ImageReference> withRemembered(Map<Digest, ImageReference> given, List<Descriptor> blobs,
      RegistryClient client, ImageReference target) {
    Map<Digest, ImageReference> origins = new LinkedHashMap<>(given);
    Map<Digest, String> known = registries.blobLocations().repositories(client.registry());
    Set<String> remembered = new LinkedHashSet<>();
    for (Descriptor blob : blobs) {
      ImageReference origin = origins.get(blob.digest());
      if (origin != null && inTargetNamespace(origin, client, target)) {
        continue;
      }
      Optional.ofNullable(known.get(blob.digest()))
          .filter(repository -> !repository.equals(target.repository()))
          .filter(repository -> namespace(repository).equals(namespace(target.repository())))
          .filter(repository -> remembered.contains(repository) || remembered.size() < REMEMBERED_SOURCES)
          .ifPresent(repository -> {
            remembered.add(repository);
            origins.put(blob.digest(), ImageReference.parse(target.registry() + "/" + repository));
          });
    }
    return origins;
  }

  /** Whether a mount from {@code origin} is as good as one from a remembered repository. */
  private static boolean inTargetNamespace(ImageReference origin, RegistryClient client, ImageReference target) {
    return TransportPolicy.normalise(origin.registry()).equals(client.registry())
        && !origin.repository().equals(target.repository())
        && namespace(origin.repository()).equals(namespace(target.repository()));
  }

  private static String namespace(String repository) {
    int slash = repository.lastIndexOf('/');
    return slash < 0 ? "" : repository.substring(0, slash);
  }

  /**
   * The blobs the repository lacks; the others are reported as there. Over plain HTTP (HTTP/1.1,
   * one request per connection at a time) the HEADs go one after another so that a push of an
   * image the registry has costs a few requests on one connection; over HTTPS they go in
   * parallel, multiplexed on one HTTP/2 connection. The first HEAD settles the transport.
   */
  private List<Descriptor> missing(RegistryClient client, RemoteRepository repository, List<Descriptor> blobs)
      throws IOException {
    Set<Digest> present = ConcurrentHashMap.newKeySet();
    Parallel.Step<Descriptor> head = blob -> {
      String step = "checking blob " + blob.digest().shortHex();
      if (Retry.call(retry, step, listener, () -> repository.headBlob(blob.digest())).isPresent()) {
        present.add(blob.digest());
      }
    };
    if (!blobs.isEmpty()) {
      head.run(blobs.get(0));
      Parallel.forEach(client.isPlainHttp() ? 1 : jobs, blobs.subList(1, blobs.size()), head);
    }
    List<Descriptor> missing = new ArrayList<>();
    for (Descriptor blob : blobs) {
      if (present.contains(blob.digest())) {
        listener.blobStarted(blob);
        listener.blobExists(blob);
      } else {
        missing.add(blob);
      }
    }
    return missing;
  }

  /**
   * Mounts or uploads a blob the repository lacked. Each request of an upload is retried by itself
   * (see {@link BlobUpload}); when one still fails, the blob is tried again as a whole, from what
   * the registry holds: first whether the blob arrived, then the same upload session.
   */
  private void pushBlob(RemoteRepository repository, Descriptor blob, BlobBody body, Optional<String> from)
      throws IOException {
    listener.blobStarted(blob);
    AtomicBoolean retrying = new AtomicBoolean();
    BlobUpload upload = new BlobUpload(repository, blob, body, registries.uploadChunkSize(), retry, listener,
        registries.uploadSessions());
    String outcome;
    try {
      outcome = Retry.call(retry, "pushing blob " + blob.digest().shortHex(), listener, () -> {
        if (retrying.getAndSet(true) && repository.headBlob(blob.digest()).isPresent()) {
          return "exists";
        }
        if (from.isPresent() && !upload.started() && mounted(repository, blob, from.get(), upload)) {
          return "mounted";
        }
        upload.run();
        return "pushed";
      });
    } catch (IOException | RuntimeException e) {
      upload.abandon();
      throw e;
    } finally {
      upload.close();
    }
    switch (outcome) {
      case "exists" -> listener.blobExists(blob);
      case "mounted" -> listener.blobMounted(blob, from.orElseThrow());
      default -> listener.blobPushed(blob);
    }
  }

  /**
   * Tries a mount. When the source lacks the blob the registry opens an upload session itself,
   * which {@code upload} then uses; when the mount is refused (no access to the source, or the
   * source is gone) the blob is uploaded as Docker does.
   */
  private static boolean mounted(RemoteRepository repository, Descriptor blob, String from, BlobUpload upload)
      throws IOException {
    try {
      Optional<URI> session = repository.mountBlob(blob.digest(), from);
      session.ifPresent(upload::startIn);
      return session.isEmpty();
    } catch (RegistryException e) {
      if (e.isRetryable()) {
        throw e;
      }
      return false;
    }
  }

  private Digest pushManifest(RemoteRepository repository, Manifest manifest, ImageReference target)
      throws IOException {
    String reference = target.tag() != null ? target.tag() : target.digest();
    String step = "pushing manifest " + target.familiar();
    Digest digest;
    long size = manifest.bytes().length;
    try {
      digest = Retry.write(retry, step, listener,
          () -> repository.putManifest(reference, manifest.bytes(), manifest.mediaType()));
    } catch (RegistryException e) {
      Optional<Manifest> docker = rejectsOci(e) && target.tag() != null
          ? ManifestConversion.toDocker(manifest) : Optional.empty();
      if (docker.isEmpty()) {
        throw e;
      }
      listener.retrying(step, 1, java.time.Duration.ZERO,
          "the registry refused the OCI manifest; pushing it with Docker media types");
      digest = Retry.write(retry, step, listener,
          () -> repository.putManifest(reference, docker.get().bytes(), docker.get().mediaType()));
      size = docker.get().bytes().length;
    }
    listener.manifestPushed(target.toString(), digest, size);
    return digest;
  }

  private static boolean rejectsOci(RegistryException e) {
    return e.status() == 415 || e.hasCode("MANIFEST_INVALID") || e.hasCode("UNSUPPORTED");
  }

  private static BlobBody layerBody(Image image, Descriptor layer) {
    return new BlobBody() {
      @Override
      public InputStream open() throws IOException {
        return image.blobs().open(layer);
      }

      @Override
      public Optional<Path> file() {
        return image.blobs().file(layer);
      }
    };
  }
}
