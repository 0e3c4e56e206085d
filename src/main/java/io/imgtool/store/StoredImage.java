package io.imgtool.store;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;
import java.time.Instant;
import java.util.Optional;

/**
 * One entry of the store's index as {@code imgtool images} shows it.
 *
 * @param name the name, or empty for an untagged ({@code <none>}) image
 * @param manifest the manifest descriptor (without the ref.name annotation)
 * @param id the image ID: the config digest, as Docker defines it
 * @param created the config's created time, when it has a valid one
 * @param size bytes of config plus layer blobs as stored (compressed), not Docker's unpacked size
 */
public record StoredImage(
    Optional<ImageReference> name, Descriptor manifest, Digest id, Optional<Instant> created, long size) {
}
