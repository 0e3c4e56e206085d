package io.imgtool.cli;

import io.imgtool.layer.DiffCache;
import io.imgtool.registry.HttpTrace;
import io.imgtool.registry.BlobLocations;
import io.imgtool.registry.PlainHttpMemory;
import io.imgtool.registry.Registries;
import io.imgtool.registry.TransportPolicy;
import io.imgtool.registry.credentials.DockerConfigFile;
import io.imgtool.registry.credentials.DockerConfigLocation;
import io.imgtool.registry.credentials.DockerCredentials;
import io.imgtool.store.LayoutStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** What a running command needs from the global options: its store, its streams, progress. */
final class Session {
  private final ImgtoolCommand root;
  private final CommandSpec spec;
  private LayoutStore store;
  private Settings settings;
  private Registries registries;

  Session(ImgtoolCommand root, CommandSpec spec) {
    this.root = root;
    this.spec = spec;
  }

  /** The store; opening it creates nothing. */
  Settings settings() throws IOException {
    if (settings == null) {
      settings = Settings.read(root.configPath());
    }
    return settings;
  }

  /**
   * The registry clients for this command. {@code insecure} names the registries this command's
   * --insecure applies to (only those it targets, never every host it meets).
   */
  Registries registries(Collection<String> insecure) throws IOException {
    if (registries == null) {
      TransportPolicy.Builder policy = TransportPolicy.builder()
          .insecureRegistries(settings().insecureRegistries())
          .certsDirectories(List.of(environment().configHome().resolve("imgtool/certs.d"),
              Path.of("/etc/docker/certs.d")));
      insecure.forEach(policy::insecure);
      HttpTrace trace = root.debug() ? line -> debug(line) : HttpTrace.NONE;
      registries = new Registries(policy.build(), credentials(), settings().registryMirrors(), trace)
          .rememberingPlainHttp(PlainHttpMemory.file(environment().cacheHome().resolve("imgtool/plain-http.json")))
          .rememberingBlobLocations(BlobLocations.file(environment().cacheHome().resolve("imgtool/blob-locations.json")));
      root.register(registries);
    }
    return registries;
  }

  /** Base trees and unpack records that make rootfs diffs cheap, in the cache directory. */
  DiffCache diffCache() {
    return new DiffCache(environment().cacheHome().resolve("imgtool/diff"));
  }

  DockerCredentials credentials() {
    Map<String, String> env = environment().variables();
    return new DockerCredentials(DockerConfigLocation.configFile(env), env);
  }

  DockerConfigFile dockerConfigFile() {
    Map<String, String> env = environment().variables();
    return new DockerConfigFile(DockerConfigLocation.configFile(env), env);
  }

  private synchronized void debug(String line) {
    err().println("DEBUG " + line);
    err().flush();
  }

  LayoutStore store() throws IOException {
    if (store == null) {
      store = LayoutStore.at(root.storePath());
    }
    return store;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Progress progress() {
    return new Progress(err(), progressMode());
  }

  ProgressMode progressMode() {
    return root.progressMode();
  }

  TransferProgress transferProgress() {
    return new TransferProgress(err(), progressMode());
  }

  Environment environment() {
    return root.environment();
  }
}
