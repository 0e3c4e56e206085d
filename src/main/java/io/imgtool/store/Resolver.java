package io.imgtool.store;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.MediaType;
import io.imgtool.name.ImageReference;
import io.imgtool.name.InvalidReferenceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the image a user means, in Docker's order: a name in the store, then an image ID or a
 * unique prefix of one (at least 4 hex digits, with or without {@code sha256:}).
 */
final class Resolver {
  /** How the argument matched; rmi treats a name differently from an ID. */
  enum By { NAME, DIGEST, ID }

  record Match(StoredImage image, By by) {}

  private static final Pattern ID = Pattern.compile("(?:sha256:)?([a-f0-9]{4,64})");

  private Resolver() {}

  static Match resolve(String text, List<StoredImage> images) {
    ImageReference name = null;
    InvalidReferenceException invalid = null;
    try {
      name = ImageReference.parse(text);
    } catch (InvalidReferenceException e) {
      invalid = e;
    }
    if (name != null) {
      Optional<Match> byName = name.digest() != null ? byDigest(name, images) : byName(name, images);
      if (byName.isPresent()) {
        return byName.get();
      }
    }
    Matcher id = ID.matcher(text);
    if (id.matches()) {
      Optional<Match> byId = byId(id.group(1), images);
      if (byId.isPresent()) {
        return byId.get();
      }
    } else if (invalid != null) {
      throw invalid;
    }
    throw new ImageNotFoundException(text);
  }

  /** The index entry whose name is {@code text}, a name without digest; empty when none is. */
  static Optional<Descriptor> namedEntry(String text, List<Descriptor> entries) {
    ImageReference name;
    try {
      name = ImageReference.parse(text);
    } catch (InvalidReferenceException e) {
      return Optional.empty(); // Resolver.resolve tells why, or finds an ID
    }
    if (name.digest() != null) {
      return Optional.empty();
    }
    return entries.stream()
        .filter(entry -> MediaType.isManifest(entry.mediaType()) || MediaType.isIndex(entry.mediaType()))
        .filter(entry -> IndexEditor.nameOf(entry).filter(name::equals).isPresent())
        .findFirst();
  }

  private static Optional<Match> byName(ImageReference name, List<StoredImage> images) {
    return images.stream()
        .filter(image -> image.name().filter(name::equals).isPresent())
        .findFirst()
        .map(image -> new Match(image, By.NAME));
  }

  /**
   * {@code repo@sha256:...}: the image with that digest, the store's OCI manifest or one the
   * registry knows it by (its own manifest, the index it was pulled from), preferably under a name
   * of the same repository.
   */
  private static Optional<Match> byDigest(ImageReference name, List<StoredImage> images) {
    Digest digest = Digest.parse(name.digest());
    List<StoredImage> withDigest = images.stream()
        .filter(image -> knownBy(image.manifest(), digest))
        .toList();
    return withDigest.stream()
        .filter(image -> image.name().filter(name::sameRepository).isPresent())
        .findFirst()
        .or(() -> withDigest.stream().findFirst())
        .map(image -> new Match(image, By.DIGEST));
  }

  private static boolean knownBy(Descriptor entry, Digest digest) {
    return entry.digest().equals(digest)
        || Annotations.digest(entry, Annotations.MANIFEST).filter(digest::equals).isPresent()
        || Annotations.digest(entry, Annotations.INDEX).filter(digest::equals).isPresent();
  }

  private static Optional<Match> byId(String hexPrefix, List<StoredImage> images) {
    Map<Digest, StoredImage> byManifest = new LinkedHashMap<>();
    for (StoredImage image : images) {
      if (image.id().algorithm().equals("sha256") && image.id().hex().startsWith(hexPrefix)) {
        StoredImage seen = byManifest.get(image.manifest().digest());
        if (seen == null || (seen.name().isEmpty() && image.name().isPresent())) {
          byManifest.put(image.manifest().digest(), image);
        }
      }
    }
    if (byManifest.size() > 1) {
      throw new AmbiguousImageException(hexPrefix, new ArrayList<>(byManifest.values()));
    }
    return byManifest.values().stream().findFirst().map(image -> new Match(image, By.ID));
  }
}
