package io.imgtool.images;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Index;
import io.imgtool.image.Manifest;
import io.imgtool.image.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-platform image as an OCI layout keeps it (the store, an archive, a layout directory):
 * skopeo and umoci read only OCI documents there, so when the index or one of its images is
 * Docker's, the layout's entry is an OCI index of the images' OCI manifests, each annotated with
 * its own manifest's digest, and the entry with the index's own. Those own bytes travel beside
 * the OCI forms, so the image leaves the layout under the digests it came with.
 *
 * @param own the index as it is known, its exact bytes
 * @param oci the layout's index: {@code own} when that is OCI through and through
 * @param converted the OCI manifests made for Docker images, which the layout needs as blobs
 * @param entry the index.json entry, without names
 */
record IndexForm(Index own, Index oci, List<Manifest> converted, Descriptor entry) {

  /** @param manifests the images' own manifests, in the order {@code own} lists them */
  static IndexForm of(Index own, List<Manifest> manifests) {
    List<Descriptor> listed = own.manifests();
    List<Descriptor> entries = new ArrayList<>();
    List<Manifest> converted = new ArrayList<>();
    for (int i = 0; i < manifests.size(); i++) {
      Manifest manifest = manifests.get(i);
      if (manifest.format() == Format.DOCKER) {
        Manifest oci = FormatConversion.manifest(manifest, Format.OCI);
        converted.add(oci);
        entries.add(listed.get(i).withContent(oci.mediaType(), oci.digest(), oci.size())
            .withAnnotation(Annotations.MANIFEST, manifest.digest().toString()));
      } else {
        entries.add(listed.get(i));
      }
    }
    boolean docker = MediaType.isDocker(own.mediaType());
    if (!docker && converted.isEmpty()) {
      return new IndexForm(own, own, List.of(), Descriptor.of(own.mediaType(), own.digest(), own.bytes().length));
    }
    Index oci = Index.create(entries);
    Descriptor entry = Descriptor.of(MediaType.OCI_INDEX, oci.digest(), oci.bytes().length)
        .withAnnotation(Annotations.FORMAT, docker ? "docker" : null)
        .withAnnotation(Annotations.MANIFEST, own.digest().toString());
    return new IndexForm(own, oci, List.copyOf(converted), entry);
  }
}
