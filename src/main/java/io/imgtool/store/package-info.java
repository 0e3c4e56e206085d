/**
 * The local image store: an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/<hex>}) that skopeo and umoci read as it is.
 *
 * <h2>Names</h2>
 * A name is an index.json entry annotated {@code org.opencontainers.image.ref.name} = the full
 * normalised name ({@code docker.io/library/ubuntu:latest}); one entry per name, one entry
 * without the annotation for an untagged image. skopeo ({@code oci:STORE:NAME}) and umoci
 * ({@code --image STORE:NAME}) split their argument at the first colon, so names with ports and
 * tags work, and a store path must not contain a colon. Both refuse names outside the OCI
 * ref.name grammar that Docker allows ({@code a__b}, {@code a---b}, tags starting with
 * {@code _} or ending in {@code .}/{@code -}, IPv6 registry hosts); imgtool still stores and
 * resolves those.
 *
 * <h2>Writes</h2>
 * Blobs are written into a staging directory inside the store ({@code .imgtool-staging-*}, same
 * file system), fsynced, and renamed into {@code blobs/} by {@link io.imgtool.store.Staging#commit}
 * in the same locked step that rewrites index.json (temp file, fsync, rename). A staging closed
 * without commit removes its blobs and whatever of the layout it created, so a failed command
 * leaves the store byte for byte as it was, or leaves no store.
 *
 * <h2>Locking</h2>
 * The exclusive lock is an OS file lock on {@code oci-layout}: every layout has that file and
 * nothing rewrites it, so locking adds no file (a separate lock file would itself change the
 * store, and deleting lock files is racy). Readers take no lock. Garbage collection runs under
 * the same lock, and blobs become visible in {@code blobs/} only together with the index entry
 * that references them, so GC never sees a committed-but-unreferenced blob. A commit that relies
 * on a blob already in the store (a base layer) re-checks it under the lock and fails cleanly if
 * a concurrent {@code rmi} removed it. Each staging directory holds an owner lock, so
 * {@code prune} removes only stagings whose process is gone.
 *
 * <h2>Sizes</h2>
 * {@link io.imgtool.store.StoredImage#size} is config plus layer blobs as stored (compressed), as
 * crane and skopeo report; Docker shows unpacked sizes, which the store does not record.
 */
package io.imgtool.store;
