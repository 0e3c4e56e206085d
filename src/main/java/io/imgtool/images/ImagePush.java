package io.imgtool.images;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Image;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.Pusher;
import io.imgtool.registry.RetryPolicy;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker push}: a local image to a registry, as the exact manifest bytes it is known by
 * (unless another format is asked for). The layers of a lazy image are mounted from its source
 * repository on the same registry, or streamed from there to another.
 */
public final class ImagePush {
  private ImagePush() {}

  public static Pushed run(Workspace workspace, PushRequest request) throws IOException {
    ImageLocation destination = ImageLocation.parse(request.destination() != null ? request.destination()
        : request.name());
    if (destination.isArchive()) {
      LocalImages images = new LocalImages(workspace);
      LocalImage local = images.resolve(request.name());
      if (local.isMultiPlatform() && request.format() == null) {
        return ArchiveDestinations.writeWhole(images.whole(local), local.entry(), local.image(), local.name(),
            destination);
      }
      ExportedImage exported = ImageSave.export(workspace, local, List.of());
      return ArchiveDestinations.write(workspace, exported, local.name(), destination, request.format());
    }
    ImageReference target = target(request);
    RetryPolicy retry = request.retries() < 0 ? RetryPolicy.defaults() : RetryPolicy.withRetries(request.retries());
    LocalImages images = new LocalImages(workspace);
    LocalImage local = images.resolve(request.name());
    if (local.isMultiPlatform() && request.format() == null) {
      return pushWhole(workspace, images.whole(local), local, target, retry, request.jobs());
    }
    Image image = local.image();
    Image outgoing = request.format() == null ? image
        : new Image(FormatConversion.manifest(image.manifest(), request.format()), image.config(), image.blobs());
    Pusher pusher = new Pusher(workspace.registries(), request.jobs(), retry, workspace.transfers());
    workspace.events().pushing(target);
    Digest digest = pusher.push(outgoing, target, origins(local, List.of(image)));
    recordRepoDigest(workspace, local, target.name() + "@" + digest);
    return new Pushed(target, digest);
  }

  /** Every platform of a multi-platform image, then its index, each as its exact bytes. */
  private static Pushed pushWhole(Workspace workspace, LocalImages.WholeIndex whole, LocalImage local,
      ImageReference target, RetryPolicy retry, int jobs) throws IOException {
    Pusher pusher = new Pusher(workspace.registries(), jobs, retry, workspace.transfers());
    workspace.events().pushing(target);
    Digest digest = pusher.pushIndex(whole.images(), whole.own().bytes(), whole.own().mediaType(), target,
        origins(local, whole.images()));
    recordRepoDigest(workspace, local, target.name() + "@" + digest);
    return new Pushed(target, digest);
  }

  private static ImageReference target(PushRequest request) {
    String text = request.destination() != null ? request.destination() : request.name();
    if (text.startsWith(ImageLocation.DOCKER)) {
      text = text.substring(ImageLocation.DOCKER.length());
    }
    if (!ImageReference.isValid(text)) {
      if (request.destination() == null) {
        throw new InvalidRequestException("\"" + request.name() + "\" is not a name to push to; give one as DEST,"
            + " e.g. imgtool push " + request.name() + " 192.168.111.162:5000/repo:1.0");
      }
      ImageReference.parse(text); // throws with the reason
    }
    ImageReference target = ImageReference.parse(text);
    if (target.digest() != null) {
      throw new InvalidRequestException("cannot push to a digest reference: " + text + "; give a tag");
    }
    return target;
  }

  /** Layers of a lazy base live in its source repository: mount from there, or stream through. */
  private static Map<Digest, ImageReference> origins(LocalImage local, List<Image> images) {
    Map<Digest, ImageReference> origins = new LinkedHashMap<>();
    local.layersFrom().ifPresent(source -> {
      for (Image image : images) {
        for (Descriptor layer : image.layers()) {
          origins.put(layer.digest(), source);
        }
      }
    });
    return origins;
  }

  /**
   * Docker adds a RepoDigest after a push; so does imgtool, when it can. The push has succeeded
   * by now, so a store that cannot be written (read-only, removed meanwhile) does not fail it.
   */
  private static void recordRepoDigest(Workspace workspace, LocalImage image, String repoDigest) {
    try {
      workspace.store().updateIndex(editor -> editor.addRepoDigest(image.entry().digest(), repoDigest));
    } catch (IOException | RuntimeException e) {
      workspace.events().info("Note: could not record " + repoDigest + " in the image store: " + Failures.message(e));
    }
  }
}
