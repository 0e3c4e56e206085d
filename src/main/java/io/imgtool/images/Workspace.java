package io.imgtool.images;

import io.imgtool.image.TransferListener;
import io.imgtool.layer.DiffCache;
import io.imgtool.registry.BlobLocations;
import io.imgtool.registry.HttpTrace;
import io.imgtool.registry.PlainHttpMemory;
import io.imgtool.registry.Registries;
import io.imgtool.registry.Timeouts;
import io.imgtool.registry.TransportPolicy;
import io.imgtool.registry.UploadSessions;
import io.imgtool.registry.credentials.DockerConfigFile;
import io.imgtool.registry.credentials.DockerConfigLocation;
import io.imgtool.registry.credentials.DockerCredentials;
import io.imgtool.store.LayoutStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one command's operations work with: the local store, the registries as the settings and
 * this command's {@code --insecure} allow, the caches, and the listeners the CLI renders. Each
 * part is opened on first use, so a command that never reaches a registry builds no HTTP client.
 */
public final class Workspace implements AutoCloseable {
  private final Builder options;
  private LayoutStore store;
  private Registries registries;

  private Workspace(Builder options) {
    this.options = options;
  }

  /**
   * @param storePath the image store (an OCI layout, created by the first write)
   * @param cacheDir imgtool's cache directory ({@code $XDG_CACHE_HOME/imgtool})
   */
  public static Builder builder(Path storePath, Path cacheDir) {
    return new Builder(storePath, cacheDir);
  }

  LayoutStore store() throws IOException {
    if (store == null) {
      store = LayoutStore.at(options.storePath);
    }
    return store;
  }

  Registries registries() {
    if (registries == null) {
      TransportPolicy.Builder policy = TransportPolicy.builder()
          .insecureRegistries(options.insecureRegistries)
          .certsDirectories(options.certsDirectories)
          .settingsFile(options.settingsFile);
      options.insecure.forEach(policy::insecure);
      HttpTrace trace = options.debug == null ? HttpTrace.NONE : options.debug::accept;
      registries = new Registries(policy.build(), credentials(), options.registryMirrors, trace)
          .rememberingPlainHttp(PlainHttpMemory.file(options.cacheDir.resolve("plain-http.json")))
          .rememberingBlobLocations(BlobLocations.file(options.cacheDir.resolve("blob-locations.json")))
          .rememberingUploadSessions(UploadSessions.file(options.cacheDir.resolve("upload-sessions.json")))
          .uploadChunkSize(options.uploadChunkSize)
          .withTimeouts(options.timeouts);
    }
    return registries;
  }

  /** Where archives that cannot be read in place are spooled: $TMPDIR, else Java's temporary directory. */
  Path tempDir() {
    String tmpdir = options.environment.get("TMPDIR");
    return Path.of(tmpdir != null && !tmpdir.isEmpty() ? tmpdir : System.getProperty("java.io.tmpdir"));
  }

  /** Base trees and unpack records that make rootfs diffs cheap. */
  DiffCache diffCache() {
    return new DiffCache(options.cacheDir.resolve("diff"));
  }

  DockerCredentials credentials() {
    return new DockerCredentials(DockerConfigLocation.configFile(options.environment), options.environment,
        options.events::warning);
  }

  DockerConfigFile dockerConfigFile() {
    return new DockerConfigFile(DockerConfigLocation.configFile(options.environment), options.environment);
  }

  ImageEvents events() {
    return options.events;
  }

  TransferListener transfers() {
    return options.transfers;
  }

  /** Stops the HTTP clients' threads, so that the process can end at once. */
  @Override
  public void close() {
    if (registries != null) {
      registries.close();
    }
  }

  /** The settings a workspace is made from; everything but the two paths has a default. */
  public static final class Builder {
    private final Path storePath;
    private final Path cacheDir;
    private List<String> insecureRegistries = List.of();
    private List<String> registryMirrors = List.of();
    private Path settingsFile;
    private long uploadChunkSize = Registries.DEFAULT_UPLOAD_CHUNK_SIZE;
    private List<Path> certsDirectories = List.of();
    private Set<String> insecure = Set.of();
    private Map<String, String> environment = Map.of();
    private Consumer<String> debug;
    private ImageEvents events = ImageEvents.NONE;
    private TransferListener transfers = TransferListener.NONE;
    private Timeouts timeouts = Timeouts.defaults();

    private Builder(Path storePath, Path cacheDir) {
      this.storePath = storePath;
      this.cacheDir = cacheDir;
    }

    /** The settings file's insecure-registries (host, host:port, CIDR) and registry-mirrors. */
    public Builder settings(List<String> insecureRegistries, List<String> registryMirrors) {
      this.insecureRegistries = List.copyOf(insecureRegistries);
      this.registryMirrors = List.copyOf(registryMirrors);
      return this;
    }

    /**
     * How long a registry may stay silent ({@code registry-idle-timeout}), and how long a small
     * answer (manifest, token, config, page) may take as a whole ({@code registry-read-timeout});
     * null for the default.
     */
    public Builder registryTimeouts(Duration idle, Duration read) {
      this.timeouts = new Timeouts(idle != null ? idle : Timeouts.DEFAULT_IDLE, read != null ? read : Timeouts.DEFAULT_READ);
      return this;
    }

    /** The settings file those come from, named in the advice for insecure registries. */
    public Builder settingsFile(Path file) {
      this.settingsFile = file;
      return this;
    }

    /** The settings' upload-chunk-size: blobs above it are uploaded in chunks of it, resumably. */
    public Builder uploadChunkSize(long bytes) {
      this.uploadChunkSize = bytes;
      return this;
    }

    /** Where extra CA certificates are, in Docker's {@code certs.d/<host[:port]>/} layout. */
    public Builder certsDirectories(List<Path> directories) {
      this.certsDirectories = List.copyOf(directories);
      return this;
    }

    /** The registries this command's {@code --insecure} applies to. */
    public Builder insecure(Set<String> registries) {
      this.insecure = Set.copyOf(registries);
      return this;
    }

    /** The environment: {@code DOCKER_CONFIG}, {@code HOME}, and the PATH of credential helpers. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** Receives one line per HTTP exchange, secrets redacted ({@code --debug}). */
    public Builder debug(Consumer<String> lines) {
      this.debug = lines;
      return this;
    }

    public Builder events(ImageEvents events) {
      this.events = events;
      return this;
    }

    public Builder transfers(TransferListener transfers) {
      this.transfers = transfers;
      return this;
    }

    public Workspace build() {
      return new Workspace(this);
    }
  }
}
