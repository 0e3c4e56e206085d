package io.imgtool.images;

import io.imgtool.archive.ArchiveFiles;
import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Platform;
import io.imgtool.name.ImageReference;
import io.imgtool.store.IndexEditor;
import io.imgtool.store.Staging;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code docker load}: every image of an archive into the store, named as the archive names it.
 * Docker archives old and new, OCI layout archives, plain or gzip/zstd-compressed; every blob's
 * digest and every layer's diffID is checked, and nothing enters the store unless all of it does.
 */
public final class ImageLoad {
  private ImageLoad() {}

  /**
   * An archived image staged: its entry for the store's index, its ID (a multi-platform image's
   * is its index's digest, as images shows it), and the digest it is known by.
   */
  record Staged(Descriptor entry, Digest id, Digest digest) {}

  static Staged stage(ArchivedImage image, Staging staging, ImageEvents events) throws IOException {
    if (image instanceof ArchivedImage.Single single) {
      NewImage staged = single.stage(staging, events);
      Digest digest = staged.index() != null ? staged.index().digest() : staged.manifest().digest();
      return new Staged(NewImages.stage(staging, staged), staged.config().digest(), digest);
    }
    Descriptor entry = image.stageEntry(staging, events);
    return new Staged(entry, entry.digest(), Annotations.digest(entry, Annotations.MANIFEST).orElse(entry.digest()));
  }

  /** One image loaded: its name, or none for an untagged image, and its ID. */
  public record Loaded(ImageReference name, Digest id) {}

  /**
   * @param file the archive, or null for {@code stdin}
   * @param platform the one platform to load of multi-platform images, as {@code docker load
   *     --platform}; null to load them whole (or, when an archive holds only some of an index's
   *     images, this machine's platform's)
   */
  public static List<Loaded> run(Workspace workspace, Path file, InputStream stdin, Platform platform)
      throws IOException {
    try (ArchiveFiles files = file == null ? ArchiveSources.open(stdin, workspace.tempDir())
        : ArchiveSources.open(file, workspace.tempDir())) {
      List<ArchivedImage> images = new ArrayList<>();
      for (ArchivedImage image : ArchivedImages.list(files, platform == null ? Platform.host() : platform)) {
        images.add(platform == null ? image : image.single(platform));
      }
      List<Loaded> loaded = new ArrayList<>();
      try (Staging staging = workspace.store().stage()) {
        List<Descriptor> entries = new ArrayList<>();
        for (ArchivedImage image : images) {
          Staged staged = stage(image, staging, workspace.events());
          entries.add(staged.entry());
          image.names().forEach(name -> loaded.add(new Loaded(name, staged.id())));
          if (image.names().isEmpty()) {
            loaded.add(new Loaded(null, staged.id()));
          }
        }
        List<IndexEditor.Moved> moved = new ArrayList<>();
        staging.commit(editor -> {
          for (int i = 0; i < images.size(); i++) {
            moved.addAll(NewImages.name(editor, entries.get(i), images.get(i).names()));
          }
        });
        LocalImages.reportMoved(workspace, moved);
      }
      return loaded;
    }
  }
}
