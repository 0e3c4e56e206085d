package io.imgtool.store;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;
import io.imgtool.name.InvalidReferenceException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Changes to the store's names, applied to index.json in one locked read-modify-write.
 *
 * <p>Each name is an index entry whose {@code org.opencontainers.image.ref.name} annotation is
 * the full normalised name; a manifest with several names has one entry per name, and a
 * manifest with none has one entry without the annotation (Docker's {@code <none>} image). A
 * name is compared as a parsed {@link ImageReference}, so an entry another tool wrote as
 * {@code ubuntu:22.04} is the same name as {@code docker.io/library/ubuntu:22.04}.
 */
public final class IndexEditor {
  private final List<Descriptor> entries;
  private final Set<Digest> completed = new HashSet<>();
  private final List<Moved> moved = new ArrayList<>();

  /** A name {@link #tag} moved off an image that has no other name now. */
  public record Moved(ImageReference name, Descriptor formerManifest) {}

  IndexEditor(List<Descriptor> entries) {
    this.entries = new ArrayList<>(entries);
  }

  /**
   * Points name at the manifest. A name points at one image, so it moves off any image it named
   * before; that image stays in the store, untagged if this was its last name, as in Docker.
   */
  public void tag(ImageReference name, Descriptor manifest) {
    if (name.digest() != null || name.tag() == null) {
      throw new IllegalArgumentException("refusing to tag with a digest reference: " + name
          + "; a name needs a tag, e.g. " + name.withTag(ImageReference.DEFAULT_TAG).familiar());
    }
    Descriptor entry = manifest.withAnnotation(Descriptor.REF_NAME, name.toString());
    int position = entries.size();
    List<Descriptor> previous = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (nameOf(entries.get(i)).filter(name::equals).isPresent()) {
        previous.add(entries.remove(i));
        position = i;
      }
    }
    for (Descriptor untagged : untaggedEntries(manifest.digest())) {
      entry = merged(entry, untagged);
      entries.remove(untagged);
    }
    entries.add(Math.min(position, entries.size()), entry);
    previous.forEach(this::keepAsUntagged);
    for (Descriptor former : previous) {
      if (!former.digest().equals(manifest.digest()) && names(former.digest()).isEmpty()) {
        moved.add(new Moved(name, withoutName(former)));
      }
    }
  }

  /** The names this edit moved off images that are left without a name (Docker's {@code <none>}). */
  public List<Moved> leftWithoutName() {
    return List.copyOf(moved);
  }

  /** Removes a name; returns the manifest it named. The image stays, untagged if it was the last. */
  public Optional<Descriptor> untag(ImageReference name) {
    Optional<Descriptor> found = lookup(name);
    List<Descriptor> removed = new ArrayList<>();
    entries.removeIf(e -> nameOf(e).filter(name::equals).isPresent() && removed.add(e));
    removed.forEach(this::keepAsUntagged);
    return found;
  }

  /**
   * Adds an untagged image. When the manifest is in the index already, its entries learn what the
   * new one says besides (where registries hold it, the index it came from) instead.
   */
  public void add(Descriptor manifest) {
    if (entries.stream().noneMatch(e -> e.digest().equals(manifest.digest()))) {
      entries.add(withoutName(manifest));
      return;
    }
    entries.replaceAll(e -> e.digest().equals(manifest.digest()) ? merged(e, manifest) : e);
  }

  private List<Descriptor> untaggedEntries(Digest manifest) {
    return entries.stream().filter(e -> e.digest().equals(manifest) && nameOf(e).isEmpty()).toList();
  }

  /**
   * The entry with the annotations it lacks taken from {@code other}, and other's repo digests
   * of repositories it does not name; what the entry says itself is newer and wins.
   */
  private static Descriptor merged(Descriptor entry, Descriptor other) {
    Descriptor result = entry;
    for (var annotation : other.annotations().entrySet()) {
      String key = annotation.getKey();
      if (!key.equals(Descriptor.REF_NAME) && !key.equals(Annotations.REPO_DIGESTS) && result.annotation(key) == null) {
        result = result.withAnnotation(key, annotation.getValue());
      }
    }
    for (String repoDigest : Annotations.repoDigests(other)) {
      String repository = repoDigest.substring(0, repoDigest.indexOf('@') + 1);
      if (Annotations.repoDigests(result).stream().noneMatch(known -> known.startsWith(repository))) {
        result = Annotations.withRepoDigest(result, repoDigest);
      }
    }
    return result;
  }

  /** Removes the entries of the manifest that carry no name; its named entries stay. */
  public void removeUntagged(Digest manifest) {
    entries.removeIf(e -> e.digest().equals(manifest) && nameOf(e).isEmpty());
  }

  /** Removes the manifest and every name pointing at it; returns those names. */
  public List<ImageReference> remove(Digest manifest) {
    List<ImageReference> names = names(manifest);
    entries.removeIf(e -> e.digest().equals(manifest));
    return names;
  }

  public Optional<Descriptor> lookup(ImageReference name) {
    return entries.stream()
        .filter(e -> nameOf(e).filter(name::equals).isPresent())
        .findFirst()
        .map(IndexEditor::withoutName);
  }

  /** The names pointing at the manifest, in index order. */
  public List<ImageReference> names(Digest manifest) {
    List<ImageReference> names = new ArrayList<>();
    for (Descriptor e : entries) {
      if (e.digest().equals(manifest)) {
        nameOf(e).ifPresent(names::add);
      }
    }
    return names;
  }

  /**
   * Records where a registry holds the manifest's image ({@code host/repo@sha256:…}) on every
   * entry of it, as Docker adds a RepoDigest after a pull or push.
   */
  public void addRepoDigest(Digest manifest, String repoDigest) {
    entries.replaceAll(e -> e.digest().equals(manifest) ? Annotations.withRepoDigest(e, repoDigest) : e);
  }

  /**
   * Declares that this command staged every blob the manifest's image lacked, layers of a lazy
   * image included: the update checks that the image is now complete and moves the blobs in.
   */
  public void complete(Digest manifest) {
    completed.add(manifest);
  }

  Set<Digest> completed() {
    return Set.copyOf(completed);
  }

  List<Descriptor> entries() {
    return List.copyOf(entries);
  }

  /** An image that lost its last name stays as an untagged entry. */
  private void keepAsUntagged(Descriptor formerEntry) {
    add(formerEntry);
  }

  /** The name an index entry carries, if its annotation is a valid image name. */
  static Optional<ImageReference> nameOf(Descriptor entry) {
    String refName = entry.annotation(Descriptor.REF_NAME);
    if (refName == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ImageReference.parse(refName));
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }

  static Descriptor withoutName(Descriptor entry) {
    return entry.withAnnotation(Descriptor.REF_NAME, null);
  }
}
