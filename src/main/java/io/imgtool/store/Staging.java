package io.imgtool.store;

import io.imgtool.image.BlobSource;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A command's pending change to the store: blobs are written into a private directory inside
 * the store (same file system, so committing them is a rename), and {@link #commit} moves them
 * in and updates index.json as one locked step. Closing without a commit deletes the blobs and
 * anything of the layout this staging created: a failed command leaves the store as it was.
 *
 * <p>Its directory holds an owner lock for as long as it is open, so {@code prune} can tell a
 * staging that is in use from one a crashed command left behind.
 */
public final class Staging implements AutoCloseable {
  private static final int CREATE_ATTEMPTS = 100;
  /** Staging directories open in this JVM; prune must not even open their owner locks. */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  private final Layout layout;
  private final Path dir;
  private final FileChannel ownerLock;
  private final LayoutCreation creation;
  private final Map<Digest, Path> blobs = new ConcurrentHashMap<>();
  private volatile boolean committed;
  private volatile boolean closed;

  private Staging(Layout layout, Path dir, FileChannel ownerLock, LayoutCreation creation) {
    this.layout = layout;
    this.dir = dir;
    this.ownerLock = ownerLock;
    this.creation = creation;
  }

  static Staging open(Layout layout) throws IOException {
    LayoutCreation creation = new LayoutCreation(layout);
    for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      try {
        creation.ensureLayout();
      } catch (NoSuchFileException e) {
        continue; // a concurrent creator rolled the store back under us
      }
      try (StoreLock lock = StoreLock.acquire(layout)) {
        if (lock == null) {
          continue;
        }
        try {
          return create(layout, creation);
        } catch (IOException | RuntimeException e) {
          creation.rollback();
          throw e;
        }
      }
    }
    throw new StoreException("could not create the image store " + layout.root()
        + ": it kept disappearing while being created");
  }

  /** Under the store lock, so prune never sees a staging directory before its owner lock. */
  private static Staging create(Layout layout, LayoutCreation creation) throws IOException {
    creation.ensureBlobDir("sha256");
    Path dir = layout.root().resolve(Layout.STAGING_PREFIX + UUID.randomUUID());
    Files.createDirectory(dir);
    FileChannel owner = FileChannel.open(dir.resolve(Layout.OWNER_LOCK),
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      owner.lock();
    } catch (IOException | RuntimeException e) {
      owner.close();
      DurableFiles.deleteTree(dir);
      throw e;
    }
    LIVE.add(dir.toRealPath());
    return new Staging(layout, dir, owner, creation);
  }

  /**
   * Whether a staging of this JVM is open in {@code stagingDir}. False once the directory is
   * gone: a staging of this JVM that closes deletes its directory before it leaves LIVE, and a
   * collector that listed it just before must not fail on it (found by ConcurrencyTest).
   */
  static boolean isLive(Path stagingDir) throws IOException {
    try {
      return LIVE.contains(stagingDir.toRealPath());
    } catch (NoSuchFileException gone) {
      return false;
    }
  }

  /** A writer for one new blob; several may be open at once, one per thread. */
  public BlobWriter newBlob() throws IOException {
    ensureOpen();
    return new BlobWriter(this, dir.resolve(UUID.randomUUID() + ".partial"));
  }

  /** Stages a small blob such as a config or manifest. */
  public StagedBlob putBlob(byte[] bytes) throws IOException {
    try (BlobWriter writer = newBlob()) {
      writer.write(bytes);
      return writer.finish(null);
    }
  }

  /**
   * The blobs staged here and the store's, as one source: what a command reads back of an image
   * it has staged but not committed (the layers of a base read from an archive).
   */
  public BlobSource blobs() {
    return new BlobSource() {
      @Override
      public InputStream open(Descriptor blob) throws IOException {
        Path staged = blobs.get(blob.digest());
        if (staged == null) {
          return Blobs.openFile(layout.blob(blob.digest()), blob.digest(), blob.size(), layout.root().toString());
        }
        return Blobs.openFile(staged, blob.digest(), blob.size(), "this command's staging area");
      }

      @Override
      public Optional<Path> file(Descriptor blob) {
        Path staged = blobs.get(blob.digest());
        Path stored = layout.blob(blob.digest());
        if (staged != null) {
          return Optional.of(staged);
        }
        return Files.isRegularFile(stored) ? Optional.of(stored) : Optional.empty();
      }
    };
  }

  /** True when the blob is staged here or already in the store. */
  public boolean hasBlob(Digest digest) {
    return blobs.containsKey(digest) || Files.isRegularFile(layout.blob(digest));
  }

  /**
   * Applies the edit to index.json and moves the blobs the edited index needs into the store,
   * as one step under the store lock. Every image the edit adds must be complete (manifest,
   * config and layers staged or in the store), or nothing changes and StoreException says why.
   */
  public void commit(Consumer<IndexEditor> edit) throws IOException {
    ensureOpen();
    try (StoreLock lock = StoreLock.acquire(layout)) {
      if (lock == null) {
        throw new StoreException("the image store " + layout.root() + " was removed while in use");
      }
      creation.ensureBlobDir("sha256");
      IndexUpdate.apply(layout, blobs::get, editor -> {
        edit.accept(editor);
        return null;
      });
      committed = true;
    }
  }

  /** Deletes the staged blobs; without a commit, also what this staging created of the store. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Path live = dir.toRealPath();
    try {
      DurableFiles.deleteTree(dir);
    } finally {
      ownerLock.close();
      LIVE.remove(live);
    }
    if (!committed && creation.createdAnything()) {
      try (StoreLock lock = StoreLock.acquire(layout)) {
        if (lock != null) {
          creation.rollback();
        }
      }
    }
  }

  /** Called by a writer whose blob is complete and verified. */
  StagedBlob accept(Path temp, Digest digest, long size) throws IOException {
    Path target = dir.resolve(digest.hex());
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    blobs.put(digest, target);
    return new StagedBlob(digest, size);
  }

  private void ensureOpen() {
    if (closed || committed) {
      throw new IllegalStateException("staging is already " + (closed ? "closed" : "committed"));
    }
  }
}
