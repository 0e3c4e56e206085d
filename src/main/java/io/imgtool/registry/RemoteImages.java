package io.imgtool.registry;

import io.imgtool.image.TransferListener;
import io.imgtool.image.BlobSource;
import io.imgtool.image.Descriptor;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Index;
import io.imgtool.image.Manifest;
import io.imgtool.image.VerifyingInputStream;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Resolves a name to a {@link RemoteImage}: the manifest (from an index, the one for the
 * platform) and the config, trying Docker Hub mirrors first. Layers stay in the registry.
 */
public final class RemoteImages {
  private static final long MAX_CONFIG_SIZE = 16L << 20;

  private final Registries registries;
  private final RetryPolicy retry;
  private final TransferListener listener;

  public RemoteImages(Registries registries, RetryPolicy retry, TransferListener listener) {
    this.registries = registries;
    this.retry = retry;
    this.listener = listener;
  }

  public RemoteImages(Registries registries) {
    this(registries, RetryPolicy.defaults(), TransferListener.NONE);
  }

  /** Manifest and config of the image for the platform; blobs are fetched when opened. */
  public RemoteImage fetch(ImageReference reference, Platform platform) throws IOException {
    List<String> endpoints = registries.pullEndpoints(reference.registry());
    Exception last = null;
    for (String endpoint : endpoints) {
      try {
        return fetchFrom(endpoint, reference, platform);
      } catch (IOException | RegistryException e) {
        last = e;
        boolean lastEndpoint = endpoint.equals(endpoints.get(endpoints.size() - 1));
        if (lastEndpoint) {
          throw e;
        }
        listener.retrying("pulling " + reference.familiar() + " from mirror " + endpoint, 1,
            java.time.Duration.ZERO, RegistryClient.describe(e));
      }
    }
    throw new IllegalStateException("no endpoint for " + reference, last);
  }

  /**
   * The manifest or index a name points to, as the registry serves it, and when it is an index,
   * every image it lists (platforms and the attestations beside them), each with its manifest
   * and config; blobs are fetched when opened. For copying a multi-platform image whole.
   */
  public RemoteIndex fetchAll(ImageReference reference) throws IOException {
    RemoteRepository repository = registries.client(reference.registry()).repositoryForPull(reference.repository());
    RemoteManifest first = Retry.call(retry, "fetching manifest of " + reference.familiar(), listener,
        () -> repository.getManifest(wanted(reference)));
    List<RemoteImage> images = new ArrayList<>();
    if (!first.isIndex()) {
      images.add(image(repository, reference.registry(), reference, null, first));
      return new RemoteIndex(null, images);
    }
    for (Descriptor entry : Index.parse(first.bytes()).manifests()) {
      RemoteManifest child = Retry.call(retry, "fetching manifest " + entry.digest().shortHex() + " of "
          + reference.familiar(), listener, () -> repository.getManifest(entry.digest().toString()));
      if (child.isIndex()) {
        throw new InvalidImageException("an entry of the index " + reference.familiar()
            + " is itself an index, which imgtool does not follow");
      }
      images.add(image(repository, reference.registry(), reference, first, child));
    }
    return new RemoteIndex(first, images);
  }

  private static String wanted(ImageReference reference) {
    return reference.digest() != null ? reference.digest() : reference.tag();
  }

  private RemoteImage fetchFrom(String endpoint, ImageReference reference, Platform platform) throws IOException {
    RemoteRepository repository = registries.client(endpoint).repositoryForPull(reference.repository());
    RemoteManifest first = Retry.call(retry, "fetching manifest of " + reference.familiar(), listener,
        () -> repository.getManifest(wanted(reference)));
    RemoteManifest index = null;
    RemoteManifest chosen = first;
    if (first.isIndex()) {
      index = first;
      Descriptor entry = choosePlatform(Index.parse(first.bytes()), platform, reference);
      chosen = Retry.call(retry, "fetching manifest of " + reference.familiar() + " for " + platform, listener,
          () -> repository.getManifest(entry.digest().toString()));
      if (chosen.isIndex()) {
        throw new InvalidImageException("the index entry for " + platform + " in " + reference.familiar()
            + " is itself an index, which imgtool does not follow");
      }
    }
    return image(repository, endpoint, reference, index, chosen);
  }

  /** The image of a manifest: its config fetched, its layers fetched when opened. */
  private RemoteImage image(RemoteRepository repository, String endpoint, ImageReference reference,
      RemoteManifest index, RemoteManifest chosen) throws IOException {
    Manifest manifest = Manifest.parse(chosen.bytes());
    Descriptor configDescriptor = manifest.config();
    if (configDescriptor.size() > MAX_CONFIG_SIZE) {
      throw new InvalidImageException("image config of " + reference.familiar() + " is implausibly large");
    }
    byte[] configBytes = Retry.call(retry, "fetching config of " + reference.familiar(), listener,
        () -> repository.readBlob(configDescriptor));
    ImageConfig config = ImageConfig.parse(configBytes);
    BlobSource blobs = blob -> blob.digest().equals(configDescriptor.digest())
        ? new ByteArrayInputStream(configBytes)
        : verified(repository, blob, n -> { });
    ImageReference resolved = reference.withDigest(chosen.digest().toString());
    return new RemoteImage(resolved, endpoint, index, manifest, config, blobs);
  }

  /** A blob of a repository, verified (digest and size) while it is read. */
  public InputStream openBlob(ImageReference repository, Descriptor blob) throws IOException {
    RemoteRepository remote = registries.client(repository.registry()).repositoryForPull(repository.repository());
    return verified(remote, blob, n -> { });
  }

  static InputStream verified(RemoteRepository repository, Descriptor blob, LongConsumer progress)
      throws IOException {
    return new VerifyingInputStream(repository.openBlob(blob.digest()), blob.digest(), blob.size(),
        "blob " + blob.digest() + " from " + repository, progress);
  }

  /** The entry for the platform; none is an error that lists the platforms there are. */
  static Descriptor choosePlatform(Index index, Platform platform, ImageReference reference) {
    return index.manifestFor(platform).orElseThrow(() -> new RegistryException("no image for platform " + platform
        + " in " + reference.familiar() + "; it has " + available(index) + " (choose one with --platform)", 0,
        List.of(), false));
  }

  private static String available(Index index) {
    return index.platforms().isEmpty() ? "no platforms" : String.join(", ", index.platforms());
  }
}
