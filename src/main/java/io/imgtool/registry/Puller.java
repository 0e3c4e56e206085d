package io.imgtool.registry;

import io.imgtool.image.Parallel;
import io.imgtool.image.TransferListener;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.VerifyingInputStream;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pulls an image into a {@link PullTarget}: the platform's manifest, then every blob the target
 * lacks, in parallel, each verified while it streams; the manifest goes in last, so an
 * interrupted pull leaves only whole blobs and a re-run resumes.
 */
public final class Puller {
  private static final int WARM_UP_CHUNK = 32 * 1024;
  private static final int WARM_UP_CHUNKS = 128;
  private static final AtomicBoolean HASHING_WARMED = new AtomicBoolean();
  private final Registries registries;
  private final int jobs;
  private final RetryPolicy retry;
  private final TransferListener listener;

  public Puller(Registries registries, int jobs, RetryPolicy retry, TransferListener listener) {
    this.registries = registries;
    this.jobs = jobs;
    this.retry = retry;
    this.listener = listener;
  }

  public PullResult pull(ImageReference reference, Platform platform, PullTarget target) throws IOException {
    warmUpHashing();
    RemoteImage image = new RemoteImages(registries, retry, listener).fetch(reference, platform);
    RemoteRepository repository = registries.client(image.endpoint()).repositoryForPull(reference.repository());

    Parallel.forEach(jobs, distinct(image.manifest().layers()), layer -> pullBlob(repository, layer, target));

    Descriptor config = image.manifest().config();
    writeFromMemory(target, config, image.config().bytes());
    Descriptor manifest = image.manifest().descriptor();
    writeFromMemory(target, manifest, image.manifest().bytes());
    if (image.index() != null) {
      RemoteManifest index = image.index();
      writeFromMemory(target, Descriptor.of(index.mediaType(), index.digest(), index.bytes().length), index.bytes());
    }
    return new PullResult(image.reference(), image.endpoint(), image.index(), image.manifest(), image.config());
  }

  /**
   * Pulls a multi-platform image whole: every image its index lists (platforms and the
   * attestations beside them), each blob once, then the index; a name that points to one image
   * pulls that image.
   */
  public RemoteIndex pullAll(ImageReference reference, PullTarget target) throws IOException {
    warmUpHashing();
    RemoteIndex all = new RemoteImages(registries, retry, listener).fetchAll(reference);
    RemoteRepository repository = registries.client(reference.registry()).repositoryForPull(reference.repository());
    List<Descriptor> layers = new ArrayList<>();
    all.images().forEach(image -> layers.addAll(image.manifest().layers()));
    Parallel.forEach(jobs, distinct(layers), layer -> pullBlob(repository, layer, target));
    for (RemoteImage image : all.images()) {
      writeFromMemory(target, image.manifest().config(), image.config().bytes());
      writeFromMemory(target, image.manifest().descriptor(), image.manifest().bytes());
    }
    if (all.index() != null) {
      RemoteManifest index = all.index();
      writeFromMemory(target, Descriptor.of(index.mediaType(), index.digest(), index.bytes().length), index.bytes());
    }
    return all;
  }

  /**
   * Pulls the given blobs of a repository that the target lacks, as {@link #pull} pulls layers:
   * for the layers of a lazy image, which its source repository holds.
   */
  public void pullBlobs(ImageReference repository, List<Descriptor> blobs, PullTarget target) throws IOException {
    warmUpHashing();
    RemoteRepository remote = registries.client(repository.registry()).repositoryForPull(repository.repository());
    Parallel.forEach(jobs, distinct(blobs), blob -> pullBlob(remote, blob, target));
  }

  private void pullBlob(RemoteRepository repository, Descriptor layer, PullTarget target) throws IOException {
    listener.blobStarted(layer);
    if (target.hasBlob(layer.digest())) {
      listener.blobExists(layer);
      return;
    }
    Retry.call(retry, "pulling blob " + layer.digest().shortHex(), listener, () -> {
      try (InputStream in = RemoteImages.verified(repository, layer, n -> listener.blobProgress(layer, n))) {
        target.writeBlob(layer, in);
      }
      return null;
    });
    listener.blobPulled(layer);
  }

  private static void writeFromMemory(PullTarget target, Descriptor blob, byte[] bytes) throws IOException {
    if (!target.hasBlob(blob.digest())) {
      try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(bytes), blob, "blob " + blob.digest())) {
        target.writeBlob(blob, in);
      }
    }
  }

  /**
   * Hashes a few MiB on a spare thread while the manifest is fetched. SHA-256 is fast only once
   * C2 has compiled it (with its intrinsic), and the blobs of a pull would otherwise arrive while
   * the compile queue still holds the start-up's methods: until then every blob byte is hashed in
   * the interpreter or C1. On the bench's 86 MiB pull this saved about 0.4 CPU-seconds of 1.9.
   * Once per process: the JIT's work is not undone, so `pull -a` and a lazy image's base layers
   * fetched after its pull need no second round. Not needed when SHA-256 is OpenSSL's.
   */
  private static void warmUpHashing() {
    if (HASHING_WARMED.getAndSet(true) || Digest.isSha256Native()) {
      return;
    }
    Thread thread = new Thread(() -> {
      MessageDigest sha256 = Digest.newSha256();
      byte[] block = new byte[WARM_UP_CHUNK];
      for (int i = 0; i < WARM_UP_CHUNKS; i++) {
        sha256.update(block);
      }
    }, "imgtool-hash-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  static List<Descriptor> distinct(List<Descriptor> blobs) {
    Map<String, Descriptor> byDigest = new LinkedHashMap<>();
    blobs.forEach(d -> byDigest.putIfAbsent(d.digest().toString(), d));
    return new ArrayList<>(byDigest.values());
  }
}
