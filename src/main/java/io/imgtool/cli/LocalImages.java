package io.imgtool.cli;

import io.imgtool.image.Annotations;
import io.imgtool.image.BlobSource;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Image;
import io.imgtool.name.ImageReference;
import io.imgtool.registry.RemoteImages;
import io.imgtool.store.LayoutStore;
import io.imgtool.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * A stored image as the user thinks of it: in its own format (the store keeps every manifest as
 * OCI; {@link Annotations#FORMAT} remembers a Docker one), with layers from the store or, for an
 * image committed on a registry base, from the registry repository named in
 * {@link Annotations#SOURCE}, fetched only when a layer is opened.
 */
final class LocalImages {
  private LocalImages() {}

  static Image open(Session session, StoredImage stored, Set<String> insecure) throws IOException {
    LayoutStore store = session.store();
    Image image = store.image(stored.manifest());
    Format format = format(stored.manifest());
    String source = source(stored.manifest());
    BlobSource blobs = source == null ? store : new StoreThenRegistry(store, session, source, insecure);
    return new Image(FormatConversion.manifest(image.manifest(), format), image.config(), blobs);
  }

  /** The image's own format: Docker when the index entry says so, else OCI. */
  static Format format(Descriptor entry) {
    return "docker".equals(entry.annotation(Annotations.FORMAT)) ? Format.DOCKER : Format.OCI;
  }

  /** The repository holding the base layers, or null when every layer is in the store. */
  static String source(Descriptor entry) {
    return entry.annotation(Annotations.SOURCE);
  }

  /** Opens a layer from the store when it is there, else from the source repository. */
  private record StoreThenRegistry(LayoutStore store, Session session, String source, Set<String> insecure)
      implements BlobSource {
    @Override
    public InputStream open(Descriptor blob) throws IOException {
      if (store.hasBlob(blob.digest())) {
        return store.open(blob);
      }
      ImageReference repository = ImageReference.parse(source);
      return new RemoteImages(session.registries(insecure)).openBlob(repository, blob);
    }
  }
}
