package io.imgtool.registry;

import io.imgtool.image.Descriptor;
import io.imgtool.image.TransferListener;
import io.imgtool.registry.RemoteRepository.UploadState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;

/**
 * One blob's upload into a repository, one request at a time, each retried by itself: a failed
 * POST is sent again; after a failed PATCH the registry is asked how much it holds (GET of the
 * session, {@code Range: 0-N}) and the upload continues from there; after a failed PUT a HEAD
 * tells whether the registry completed it anyway; a session the registry no longer knows is
 * replaced by a new one. Blobs above the chunk size go up as {@code Content-Range} chunks, their
 * session remembered after each one so that a later run continues it.
 *
 * <p>{@link #run} gives up after {@code attempts} failures without progress (bytes the registry
 * confirmed beyond what it had confirmed before) and keeps its state, so that the caller's next
 * round continues the same upload rather than starting it again.
 */
final class BlobUpload implements AutoCloseable {
  private final RemoteRepository repository;
  private final Descriptor blob;
  private final BlobBody body;
  private final long chunkSize;
  private final RetryPolicy retry;
  private final TransferListener listener;
  private final UploadSessions sessions;
  private final String step;
  private UploadState session;
  private boolean storeConsulted;
  /** A PATCH or PUT failed, or a remembered session is to be used: ask the registry what it holds. */
  private boolean unsure;
  /** The PUT failed: the registry may have completed the blob all the same. */
  private boolean completing;
  private long confirmed;

  BlobUpload(RemoteRepository repository, Descriptor blob, BlobBody body, long chunkSize, RetryPolicy retry,
      TransferListener listener, UploadSessions sessions) {
    this.repository = repository;
    this.blob = blob;
    this.chunkSize = chunkSize;
    this.body = chunked() && body.file().isEmpty() ? new SequentialBody(body) : body;
    this.retry = retry;
    this.listener = listener;
    this.sessions = sessions;
    this.step = "pushing blob " + blob.digest().shortHex();
  }

  /** Whether a session is open: a new upload would first try a mount. */
  boolean started() {
    return session != null || remembered().isPresent();
  }

  /** Uploads into a session the registry opened itself (a mount that fell back to an upload). */
  void startIn(URI location) {
    session = new UploadState(location, 0, 0);
  }

  /** Uploads the blob; returns once the registry holds it. */
  void run() throws IOException {
    int failures = 0;
    while (true) {
      try {
        if (next()) {
          return;
        }
        if (session != null && session.offset() > confirmed) {
          confirmed = session.offset();
          failures = 0;
        }
      } catch (IOException | RegistryException | UncheckedIOException e) {
        boolean aboutSession = session != null && e instanceof RegistryException r && isSessionTrouble(r);
        if (!Retry.isTransient(e) && !aboutSession) {
          throw e;
        }
        if (++failures >= retry.attempts()) {
          throw e;
        }
        Retry.pause(retry, step, listener, failures, e);
      }
    }
  }

  /**
   * Abandons the session, best effort, when no later run can use it (it is remembered only for
   * chunked uploads), so that a push that gave up leaves no garbage behind.
   */
  void abandon() {
    if (session != null && !chunked()) {
      repository.cancelUpload(session.location());
      session = null;
    }
  }

  /** Lets go of a stream the chunks were read from. */
  @Override
  public void close() {
    if (body instanceof SequentialBody stream) {
      stream.close();
    }
  }

  /** Sends the next request the upload needs; true when the registry holds the blob. */
  private boolean next() throws IOException {
    if (completing) {
      if (repository.headBlob(blob.digest()).isPresent()) {
        finished();
        return true;
      }
      completing = false;
      return false;
    }
    if (session == null) {
      Optional<URI> stored = remembered();
      storeConsulted = true;
      if (stored.isPresent()) {
        session = new UploadState(stored.get(), 0, 0);
        unsure = true;
        return false;
      }
      session = repository.openUpload();
      return false;
    }
    if (unsure) {
      resynchronise();
      return false;
    }
    if (session.offset() < blob.size()) {
      sendChunk();
      return false;
    }
    try {
      repository.completeUpload(session.location(), blob);
    } catch (IOException | RuntimeException e) {
      unsure = true;
      completing = true;
      throw e;
    }
    finished();
    return true;
  }

  /** Asks the registry how much of the session it holds; a session it lost is replaced. */
  private void resynchronise() throws IOException {
    Optional<UploadState> status = repository.uploadStatus(session.location(), session.minChunk());
    unsure = false;
    if (status.isEmpty() || status.get().offset() > blob.size()) {
      forget();
      session = null;
      return;
    }
    session = status.get();
  }

  private void sendChunk() throws IOException {
    long left = blob.size() - session.offset();
    long length = chunked() ? Math.min(Math.max(chunkSize, session.minChunk()), left) : left;
    boolean ranged = chunked() || session.offset() > 0;
    try {
      session = repository.patchUpload(session, blob, body, length, ranged, n -> listener.blobProgress(blob, n));
    } catch (IOException | RuntimeException e) {
      unsure = true;
      throw e;
    }
    if (chunked() && session.offset() < blob.size()) {
      sessions.record(repository.client().registry(), repository.name(), blob.digest(), session.location());
    }
  }

  private boolean chunked() {
    return blob.size() > chunkSize;
  }

  /** The session an earlier run left for this blob; only chunked uploads leave one. */
  private Optional<URI> remembered() {
    if (storeConsulted || !chunked()) {
      return Optional.empty();
    }
    return sessions.find(repository.client().registry(), repository.name(), blob.digest());
  }

  private void finished() {
    forget();
    session = null;
  }

  private void forget() {
    if (chunked()) {
      sessions.forget(repository.client().registry(), repository.name(), blob.digest());
    }
  }

  /**
   * Answers about the session rather than the blob: it is gone (404 BLOB_UPLOAD_UNKNOWN, purged,
   * or completed by a PUT whose answer was lost), no longer valid (400 BLOB_UPLOAD_INVALID), or
   * at another offset than the request said (416). Asking the registry sorts each out.
   */
  private static boolean isSessionTrouble(RegistryException e) {
    return e.status() == 404 || e.status() == 416 || e.hasCode("BLOB_UPLOAD_UNKNOWN")
        || e.hasCode("BLOB_UPLOAD_INVALID") || e.hasCode("RANGE_INVALID");
  }
}
