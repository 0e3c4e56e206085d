package io.imgtool.store;

import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rmi} on an index being edited, with Docker's rules: a name is untagged, and its image
 * deleted when that was its last name; an ID (or digest) deletes the image with all its names,
 * which needs force when there is more than one name.
 */
final class Removal {
  private Removal() {}

  static List<RemovalEvent> remove(String text, boolean force, IndexEditor editor, Catalog catalog)
      throws IOException {
    Resolver.Match match = Resolver.resolve(text, catalog.images(editor.entries()));
    StoredImage image = match.image();
    Digest manifest = image.manifest().digest();
    List<RemovalEvent> events = new ArrayList<>();
    if (match.by() == Resolver.By.NAME) {
      ImageReference name = image.name().orElseThrow();
      editor.untag(name);
      events.add(new RemovalEvent.Untagged(name));
      if (editor.names(manifest).isEmpty()) {
        editor.remove(manifest);
        events.add(new RemovalEvent.Deleted(image.id()));
      }
      return events;
    }
    List<ImageReference> names = editor.names(manifest);
    if (names.size() > 1 && !force) {
      throw new ImageConflictException("conflict: unable to delete " + image.id().shortHex()
          + " (must be forced) - image is referenced in multiple repositories; remove it by name,"
          + " or use --force to remove all its names");
    }
    for (ImageReference name : editor.remove(manifest)) {
      events.add(new RemovalEvent.Untagged(name));
    }
    events.add(new RemovalEvent.Deleted(image.id()));
    return events;
  }
}
