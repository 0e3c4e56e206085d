package io.imgtool.registry;

import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.image.Json;
import io.imgtool.image.MediaType;
import io.imgtool.image.VerifyingInputStream;
import io.imgtool.image.VerifyingInputStream.BlobMismatchException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * One repository of a registry, with the scopes its operations need: manifests, blobs,
 * uploads, tags. Each method is one step of the distribution API; engines compose them.
 */
public final class RemoteRepository {
  /** Every manifest and index type we understand, as the registry must be told. */
  static final String ACCEPT = String.join(", ", MediaType.OCI_MANIFEST, MediaType.DOCKER_MANIFEST,
      MediaType.OCI_INDEX, MediaType.DOCKER_MANIFEST_LIST);
  /** The largest manifest or index read, as containerd's limit: real ones are a few KiB. */
  static final int MAX_MANIFEST = 4 << 20;

  private final RegistryClient client;
  private final String name;
  private final List<Scope> scopes;

  RemoteRepository(RegistryClient client, String name, List<Scope> scopes) {
    this.client = client;
    this.name = name;
    this.scopes = scopes;
  }

  public String name() {
    return name;
  }

  public RegistryClient client() {
    return client;
  }

  private String where() {
    return client.registry() + "/" + name;
  }

  private boolean pushes() {
    return scopes.stream().anyMatch(s -> s.name().equals(name) && s.actions().contains("push"));
  }

  // ---- manifests

  /** The descriptor of a tag or digest, or empty when the registry does not know it. */
  public Optional<Descriptor> headManifest(String reference) throws IOException {
    Request request = Request.of("HEAD", client.uri(name + "/manifests/" + reference)).header("Accept", ACCEPT);
    try (Response response = client.send(request, scopes)) {
      if (response.status() == 404) {
        return Optional.empty();
      }
      if (!response.isSuccess()) {
        throw response.error("checking manifest " + where() + ":" + reference, client.registry(), false);
      }
      Optional<String> digest = response.header("Docker-Content-Digest");
      if (digest.isEmpty() || !Digest.isValid(digest.get())) {
        return Optional.empty(); // cannot tell without the bytes
      }
      long size = response.header("Content-Length").map(Long::parseLong).orElse(0L);
      String type = response.header("Content-Type").orElse(MediaType.OCI_MANIFEST);
      return Optional.of(Descriptor.of(type, Digest.parse(digest.get()), size));
    }
  }

  /** The manifest or index for a tag or digest; its bytes are checked against the digest. */
  public RemoteManifest getManifest(String reference) throws IOException {
    Request request = Request.of("GET", client.uri(name + "/manifests/" + reference)).header("Accept", ACCEPT);
    String what = where() + (reference.contains(":") ? "@" : ":") + reference;
    return reading("fetching manifest of " + what, () -> getManifest(request, reference, what));
  }

  private RemoteManifest getManifest(Request request, String reference, String what) throws IOException {
    try (Response response = client.send(request, scopes)) {
      if (!response.isSuccess()) {
        throw response.error("fetching manifest " + what, client.registry(), false);
      }
      byte[] bytes = response.bytes(MAX_MANIFEST, "manifest", what);
      Optional<String> contentType = response.header("Content-Type").map(RemoteRepository::bareType);
      // Registries re-sign schema 1 on every GET, so it must be named before its digest fails.
      boolean known = contentType.filter(t -> MediaType.isManifest(t) || MediaType.isIndex(t)).isPresent();
      if (contentType.filter(MediaType::isSchema1).isPresent() || (!known && Schema1.isSchema1(bytes))) {
        throw Schema1.unsupported(what);
      }
      Digest actual = Digest.sha256(bytes);
      Optional<String> claimed = Digest.isValid(reference) ? Optional.of(reference)
          : response.header("Docker-Content-Digest").filter(d -> d.startsWith("sha256:"));
      if (claimed.isPresent() && !claimed.get().equals(actual.toString())) {
        if (Schema1.isSchema1(bytes)) {
          throw Schema1.unsupported(what);
        }
        throw new RegistryException("manifest " + where() + " " + reference + " does not match its digest "
            + claimed.get() + " (got " + actual + "); the registry or a proxy altered it", 0, List.of(), true);
      }
      String type = contentType.filter(t -> MediaType.isManifest(t) || MediaType.isIndex(t))
          .orElseGet(() -> declaredType(bytes));
      return new RemoteManifest(bytes, type, actual);
    }
  }

  /** Puts the exact bytes under a tag or digest; returns the digest, checked against the registry's. */
  public Digest putManifest(String reference, byte[] bytes, String mediaType) throws IOException {
    Digest digest = Digest.sha256(bytes);
    Request request = Request.of("PUT", client.uri(name + "/manifests/" + reference))
        .header("Content-Type", mediaType).body(() -> BodyPublishers.ofByteArray(bytes));
    try (Response response = client.send(request, scopes)) {
      if (!response.isSuccess()) {
        throw response.error("pushing manifest to " + where() + ":" + reference, client.registry(), true);
      }
      checkDigest(response, digest, "manifest");
      return digest;
    }
  }

  // ---- blobs

  /** The blob's size when the repository has it. */
  public Optional<Long> headBlob(Digest digest) throws IOException {
    Request request = Request.of("HEAD", client.uri(name + "/blobs/" + digest));
    try (Response response = client.send(request, scopes)) {
      if (response.status() == 404) {
        return Optional.empty();
      }
      if (!response.isSuccess()) {
        throw response.error("checking blob " + digest + " in " + where(), client.registry(), pushes());
      }
      return Optional.of(response.header("Content-Length").map(Long::parseLong).orElse(-1L));
    }
  }

  /** The blob's bytes, following redirects (to storage hosts, without our Authorization). Not verified. */
  public InputStream openBlob(Digest digest) throws IOException {
    URI uri = client.uri(name + "/blobs/" + digest);
    Optional<InputStream> direct = client.openDirect(uri, scopes);
    if (direct.isPresent()) {
      return direct.get();
    }
    Request request = Request.of("GET", uri).noTimeout();
    Response response = client.send(request, scopes);
    if (!response.isSuccess()) {
      throw response.error("fetching blob " + digest + " from " + where(), client.registry(), false);
    }
    return response.body();
  }

  /**
   * A small blob (an image config) whole and verified: bounded by its declared size and, as a
   * manifest is, by the read deadline, where {@link #openBlob} streams a layer for as long as
   * bytes keep coming.
   */
  public byte[] readBlob(Descriptor blob) throws IOException {
    Request request = Request.of("GET", client.uri(name + "/blobs/" + blob.digest()));
    String what = "blob " + blob.digest() + " from " + where();
    return reading("fetching " + what, () -> {
      try (Response response = client.send(request, scopes)) {
        if (!response.isSuccess()) {
          throw response.error("fetching " + what, client.registry(), false);
        }
        try (InputStream in = new VerifyingInputStream(response.body(), blob.digest(), blob.size(), what, n -> { })) {
          return in.readAllBytes();
        }
      }
    });
  }

  /**
   * Reads a document, naming it in a failure on the wire: a stalled or dropped answer says which
   * manifest or config it was, whether or not a retry wraps the step.
   */
  static <T> T reading(String step, Retry.Step<T> read) throws IOException {
    try {
      return read.run();
    } catch (BlobMismatchException | InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      throw RegistryClient.failed(step, e);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof InterruptedIOException interrupted) {
        throw interrupted;
      }
      throw RegistryClient.failed(step, e.getCause());
    }
  }

  /**
   * Asks the registry to mount a blob from another repository it holds. Empty when mounted;
   * otherwise the upload session the registry opened instead (202), to upload into.
   */
  public Optional<URI> mountBlob(Digest digest, String fromRepository) throws IOException {
    URI uri = client.uri(name + "/blobs/uploads/?mount=" + encode(digest.toString()) + "&from=" + encode(fromRepository));
    try (Response response = client.send(Request.of("POST", uri), scopes)) {
      if (response.status() == 201) {
        return Optional.empty();
      }
      if (response.status() == 202) {
        return Optional.of(location(response));
      }
      throw response.error("mounting blob " + digest + " from " + fromRepository + " into " + where(),
          client.registry(), true);
    }
  }

  /**
   * Where an upload session stands: the location to send the next request to (the registry may
   * move it, e.g. Distribution's signed {@code _state}), how many bytes the registry holds, and
   * the smallest chunk it takes ({@code OCI-Chunk-Min-Length}, 0 when it did not say).
   */
  record UploadState(URI location, long offset, long minChunk) {}

  /** Opens an upload session (POST). */
  UploadState openUpload() throws IOException {
    try (Response response = client.send(Request.of("POST", client.uri(name + "/blobs/uploads/")), scopes)) {
      if (response.status() != 202) {
        throw response.error("starting an upload to " + where(), client.registry(), true);
      }
      long minChunk = response.header("OCI-Chunk-Min-Length").map(RemoteRepository::parseLength).orElse(0L);
      return new UploadState(location(response), 0, minChunk);
    }
  }

  /**
   * How many bytes of an upload session the registry holds (GET of the session: {@code Range:
   * 0-N}); empty when it no longer knows the session (404 BLOB_UPLOAD_UNKNOWN, purged or
   * completed), will not resume it (400 BLOB_UPLOAD_INVALID: Distribution cancels a session asked
   * about with an out-of-date {@code _state}; 416 RANGE_INVALID), or does not say (no Range).
   */
  Optional<UploadState> uploadStatus(URI session, long minChunk) throws IOException {
    try (Response response = client.send(Request.of("GET", session), scopes)) {
      if (response.status() == 404 || response.status() == 400 || response.status() == 416) {
        return Optional.empty();
      }
      if (!response.isSuccess()) {
        throw response.error("checking an upload to " + where(), client.registry(), true);
      }
      Optional<Long> end = response.header("Range").flatMap(RemoteRepository::rangeEnd);
      if (end.isEmpty()) {
        return Optional.empty();
      }
      URI next = response.header("Location").isPresent() ? location(response) : session;
      // "0-0" is what Distribution says for an empty session (and for one byte): resend from 0.
      return Optional.of(new UploadState(next, end.get() == 0 ? 0 : end.get() + 1, minChunk));
    }
  }

  /**
   * Sends {@code length} bytes of the blob from {@code offset} into the session (PATCH). With
   * {@code ranged}, as a chunk with {@code Content-Range}; otherwise the whole blob in one streamed
   * request, as registries have always taken it. {@code progress} sees the blob's bytes sent so far.
   */
  UploadState patchUpload(UploadState session, Descriptor blob, BlobBody body, long length, boolean ranged,
      LongConsumer progress) throws IOException {
    long offset = session.offset();
    Request patch = body(Request.of("PATCH", session.location()).noTimeout()
        .header("Content-Type", "application/octet-stream"), body, offset, length, progress);
    if (ranged) {
      patch = patch.header("Content-Range", offset + "-" + (offset + length - 1));
    }
    try (Response response = client.send(patch, scopes)) {
      if (response.status() != 202 && response.status() != 204) {
        throw response.error("uploading blob " + blob.digest() + " to " + where(), client.registry(), true);
      }
      URI next = response.header("Location").isPresent() ? location(response) : session.location();
      long expected = offset + length;
      // A registry may take part of a chunk (then the rest goes next); never more than was sent.
      long held = response.header("Range").flatMap(RemoteRepository::rangeEnd)
          .map(end -> end == 0 && expected != 1 ? 0 : Math.min(end + 1, expected)).orElse(expected);
      return new UploadState(next, held, session.minChunk());
    }
  }

  /** Completes an upload session holding the whole blob (PUT with the digest), checked against the registry's. */
  void completeUpload(URI session, Descriptor blob) throws IOException {
    URI put = withQuery(session, "digest=" + encode(blob.digest().toString()));
    try (Response response = client.send(Request.of("PUT", put), scopes)) {
      if (response.status() != 201 && response.status() != 204) {
        throw response.error("completing the upload of blob " + blob.digest() + " to " + where(),
            client.registry(), true);
      }
      checkDigest(response, blob.digest(), "blob");
    }
  }

  /** The last byte of {@code Range: 0-N} (also {@code bytes=0-N}), as upload status and PATCH answers give it. */
  static Optional<Long> rangeEnd(String range) {
    int dash = range.lastIndexOf('-');
    try {
      long end = Long.parseLong(range.substring(dash + 1).strip());
      return dash < 0 || end < 0 ? Optional.empty() : Optional.of(end);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static long parseLength(String value) {
    try {
      return Math.max(0, Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Request body(Request request, BlobBody body, long offset, long length, LongConsumer progress) {
    Optional<Path> file = body.file();
    if (file.isPresent()) {
      return request.body(new Request.FileSlice(file.get(), offset, length, progress));
    }
    return request.body(() -> BodyPublishers.fromPublisher(
        BodyPublishers.ofInputStream(() -> counting(body.openUnchecked(offset, length), offset, progress)), length));
  }

  private static InputStream counting(InputStream in, long offset, LongConsumer progress) {
    return new FilterInputStream(in) {
      private long count = offset;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          count += n;
          progress.accept(count);
        }
        return n;
      }
    };
  }

  /** Abandons an upload session, best effort, so a restarted upload leaves no garbage. */
  public void cancelUpload(URI session) {
    try (Response response = client.send(Request.of("DELETE", session), scopes)) {
      response.errorBytes();
    } catch (IOException | RuntimeException e) {
      // the registry expires abandoned sessions anyway
    }
  }

  // ---- tags

  public List<String> tags(int pageSize) throws IOException {
    String query = pageSize > 0 ? "?n=" + pageSize : "";
    return Pages.collect(client, client.uri(name + "/tags/list" + query), scopes, "tags",
        "listing the tags of " + where());
  }

  // ---- helpers

  /** The Location of an upload session, relative or absolute, resolved against the request. */
  private static URI location(Response response) {
    String value = response.header("Location").orElseThrow(() -> new RegistryException(
        "registry answered " + response.status() + " without a Location for the upload", response.status(),
        List.of(), true));
    return response.uri().resolve(value);
  }

  /** Adds a parameter, keeping the query the registry put in the session URI (e.g. _state). */
  static URI withQuery(URI uri, String parameter) {
    String text = uri.toString();
    int hash = text.indexOf('#');
    String fragmentless = hash < 0 ? text : text.substring(0, hash);
    return URI.create(fragmentless + (uri.getRawQuery() == null ? "?" : "&") + parameter);
  }

  private void checkDigest(Response response, Digest expected, String what) {
    Optional<String> returned = response.header("Docker-Content-Digest");
    if (returned.isPresent() && Digest.isValid(returned.get()) && returned.get().startsWith("sha256:")
        && !returned.get().equals(expected.toString())) {
      throw new RegistryException("registry stored " + what + " " + expected + " in " + where()
          + " under a different digest " + returned.get(), response.status(), List.of(), false);
    }
  }

  private static String declaredType(byte[] bytes) {
    String declared = Json.text(Json.parseObject(bytes, "manifest"), "mediaType");
    return declared != null ? declared : MediaType.OCI_MANIFEST;
  }

  private static String bareType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** {@code registry/repository}, as errors name it. */
  @Override
  public String toString() {
    return client.registry() + "/" + name;
  }
}
