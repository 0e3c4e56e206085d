package io.imgtool.store;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code imgtool check --repair}, under the store lock the check holds: removes the index entries
 * of damaged images, corrupt blobs, blobs no image uses and leftovers of commands that died, and
 * creates a missing index.json. A complete or lazy image is never touched.
 */
final class IntegrityRepair {
  private IntegrityRepair() {}

  /** @return what was done, one sentence each */
  static List<String> run(Layout layout, List<IntegrityReport.ImageState> images, Collection<Digest> corrupt,
      List<String> leftovers) throws IOException {
    List<String> done = new ArrayList<>();
    if (!Files.exists(layout.index())) {
      DurableFiles.createExclusively(layout.index(), Layout.EMPTY_INDEX);
      done.add("created an empty " + Layout.INDEX_JSON);
    }
    List<Descriptor> damaged = images.stream().filter(IntegrityReport.ImageState::damaged)
        .map(IntegrityReport.ImageState::entry).toList();
    if (!damaged.isEmpty()) {
      IndexUpdate.apply(layout, IndexUpdate.NOTHING_STAGED, editor -> {
        damaged.forEach(entry -> editor.remove(entry.digest()));
        return null;
      });
      damaged.forEach(entry -> done.add("removed the damaged image "
          + IndexEditor.nameOf(entry).map(name -> name + " (manifest " + entry.digest() + ")")
              .orElse(entry.digest().toString()) + " from the index"));
    }
    for (Digest digest : corrupt) {
      Files.deleteIfExists(layout.blob(digest));
      done.add("deleted the corrupt blob " + digest);
    }
    GarbageCollector.collectBlobs(layout).deletedBlobs().forEach(d -> done.add("deleted the unused blob " + d));
    GarbageCollector.Abandoned abandoned = GarbageCollector.removeAbandoned(layout);
    if (abandoned.stagings() > 0 || abandoned.bytes() > 0) {
      done.add("removed leftovers of interrupted commands (" + abandoned.stagings() + " staging directories, "
          + abandoned.bytes() + " bytes)");
    }
    for (String leftover : leftovers) {
      Path path = layout.root().resolve(leftover);
      if (path.startsWith(layout.blobs()) && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(path);
        done.add("deleted " + leftover + ", which is not a blob");
      }
    }
    return done;
  }
}
