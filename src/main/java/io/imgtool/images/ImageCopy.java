package io.imgtool.images;

import io.imgtool.archive.ArchiveFiles;
import io.imgtool.archive.TemporaryDirectory;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Image;
import io.imgtool.image.Index;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.Pusher;
import io.imgtool.registry.RemoteImage;
import io.imgtool.registry.RemoteImages;
import io.imgtool.registry.RemoteIndex;
import io.imgtool.registry.RetryPolicy;
import io.imgtool.store.LayoutStore;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code skopeo copy} / {@code crane copy}: an image from a registry, layout or archive to
 * another, blob by blob, without the store. Between repositories of one registry blobs are
 * mounted, and blobs the destination has are skipped; manifests and indexes keep their bytes, so
 * every digest stays. With all platforms, a multi-platform image goes whole.
 */
public final class ImageCopy {
  private ImageCopy() {}

  /**
   * @param source a registry name ({@code docker://} optional), {@code oci:}, {@code oci-archive:}
   *     or {@code docker-archive:}
   * @param destination the same kinds
   * @param retries retries of a failed step, or -1 for the default
   */
  public record CopyRequest(String source, String destination, Platform platform, boolean allPlatforms, int jobs,
      int retries) {}

  public static Pushed run(Workspace workspace, CopyRequest request) throws IOException {
    ImageLocation from = remoteIfNamed(ImageLocation.parse(request.source()), request.source());
    ImageLocation to = remoteIfNamed(ImageLocation.parse(request.destination()), request.destination());
    if (from instanceof ImageLocation.Registry registry) {
      return copy(workspace, fromRegistry(workspace, registry.reference(), request), from, to, request);
    }
    try (TemporaryDirectory temp = TemporaryDirectory.create(workspace.tempDir(), "imgtool-copy-");
        ArchiveFiles files = ArchiveSources.open(from.path(), workspace.tempDir())) {
      return copy(workspace, fromArchive(workspace, files, from, request, temp.path()), from, to, request);
    }
  }

  private static Pushed copy(Workspace workspace, Copied copied, ImageLocation from, ImageLocation to,
      CopyRequest request) throws IOException {
    if (to instanceof ImageLocation.Registry registry) {
      return toRegistry(workspace, copied, from, registry.reference(), request);
    }
    if (copied.whole()) {
      IndexForm form = IndexForm.of(copied.index(), copied.images().stream().map(Image::manifest).toList());
      LocalImages.WholeIndex whole = new LocalImages.WholeIndex(form.own(), form.oci(), copied.images());
      return ArchiveDestinations.writeWhole(whole, form.entry(), shown(copied), Optional.empty(), to);
    }
    return ArchiveDestinations.write(workspace, new ExportedImage(copied.images().get(0), copied.index(), List.of()),
        Optional.empty(), to, null);
  }

  /** The image a docker archive's manifest.json lists: this machine's platform's, else the first. */
  private static Image shown(Copied copied) {
    Optional<Descriptor> host = copied.index().manifestFor(Platform.host());
    return copied.images().stream()
        .filter(image -> host.isPresent() && image.manifest().digest().equals(host.get().digest()))
        .findFirst().orElse(copied.images().get(0));
  }

  /** What is copied: one image, or the images of an index and the index itself (its exact bytes). */
  private record Copied(List<Image> images, Index index, boolean whole) {}

  private static ImageLocation remoteIfNamed(ImageLocation location, String text) {
    if (location instanceof ImageLocation.Named) {
      return new ImageLocation.Registry(ImageReference.parse(text)); // copy never reads the store
    }
    if (location instanceof ImageLocation.Scratch) {
      throw new InvalidRequestException("scratch is no image to copy");
    }
    return location;
  }

  private static Copied fromRegistry(Workspace workspace, ImageReference reference, CopyRequest request)
      throws IOException {
    RemoteImages remote = new RemoteImages(workspace.registries(), retry(request), workspace.transfers());
    if (request.allPlatforms()) {
      RemoteIndex all = remote.fetchAll(reference);
      List<Image> images = new ArrayList<>();
      all.images().forEach(image -> images.add(image.image()));
      Index index = all.index() == null ? null : Index.parse(all.index().bytes());
      return new Copied(images, index, index != null);
    }
    RemoteImage image = remote.fetch(reference, request.platform());
    Index index = image.index() == null ? null : Index.parse(image.index().bytes());
    return new Copied(List.of(image.image()), index, false);
  }

  /**
   * An image of a layout or archive. A docker save archive's layers are uncompressed tars, which
   * a registry or layout wants compressed and named by digest: they are built into a temporary
   * store first, never the user's.
   */
  private static Copied fromArchive(Workspace workspace, ArchiveFiles files, ImageLocation location,
      CopyRequest request, Path temp) throws IOException {
    Platform platform = request.platform();
    ArchivedImage selected = ArchivedImages.select(ArchivedImages.list(files, platform), location.ref(),
        location.text());
    if (request.allPlatforms() && selected instanceof ArchivedImage.WholeInLayout whole) {
      List<Image> images = whole.images().stream().map(ArchivedImage.InLayout::image).toList();
      return new Copied(images, whole.index(), true);
    }
    ArchivedImage.Single archived = selected.single(platform);
    if (archived instanceof ArchivedImage.InLayout layout) {
      return new Copied(List.of(layout.image()), layout.index(), false); // read from the layout as it is sent
    }
    LayoutStore store = LayoutStore.at(temp.resolve("store"));
    NewImage image;
    try (Staging staging = store.stage()) {
      image = archived.stage(staging, workspace.events());
      Descriptor entry = NewImages.stage(staging, image);
      staging.commit(editor -> editor.add(entry));
    }
    return new Copied(List.of(new Image(image.manifest(), image.config(), store)), null, false);
  }

  private static Pushed toRegistry(Workspace workspace, Copied copied, ImageLocation from, ImageReference target,
      CopyRequest request) throws IOException {
    if (target.digest() != null) {
      throw new InvalidRequestException("cannot copy to a digest reference: " + target.familiar() + "; give a tag");
    }
    Map<Digest, ImageReference> origins = new LinkedHashMap<>();
    if (from instanceof ImageLocation.Registry registry) { // the same registry mounts them
      ImageReference repository = ImageReference.parse(registry.reference().name());
      for (Image image : copied.images()) {
        image.layers().forEach(layer -> origins.put(layer.digest(), repository));
        origins.put(image.config().digest(), repository);
      }
    }
    Pusher pusher = new Pusher(workspace.registries(), request.jobs(), retry(request), workspace.transfers());
    if (copied.whole()) {
      Digest digest = pusher.pushIndex(copied.images(), copied.index().bytes(), copied.index().mediaType(), target,
          origins);
      return new Pushed(target, digest);
    }
    return new Pushed(target, pusher.push(copied.images().get(0), target, origins));
  }

  private static RetryPolicy retry(CopyRequest request) {
    return request.retries() < 0 ? RetryPolicy.defaults() : RetryPolicy.withRetries(request.retries());
  }
}
