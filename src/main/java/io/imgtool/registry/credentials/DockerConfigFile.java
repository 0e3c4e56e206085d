package io.imgtool.registry.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Json;
import io.imgtool.registry.Credential;
import io.imgtool.registry.RegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Saves and removes login credentials as {@code docker login}/{@code docker logout} do: through
 * the credential helper config.json names for the registry ({@code credHelpers}, else
 * {@code credsStore}), otherwise as an {@code auths} entry. Every other field of the file is kept.
 * Each change is a read-modify-write under {@link ConfigLock}, so parallel logins lose nothing.
 */
public final class DockerConfigFile {
  private final Path file;
  private final Map<String, String> environment;

  public DockerConfigFile(Path file, Map<String, String> environment) {
    this.file = file;
    this.environment = Map.copyOf(environment);
  }

  public static DockerConfigFile fromEnvironment() {
    return new DockerConfigFile(DockerConfigLocation.configFile(System.getenv()), System.getenv());
  }

  public Path path() {
    return file;
  }

  /** Stores the credential for the registry (as written in image names). */
  public void store(String registry, Credential credential) throws IOException {
    try (ConfigLock lock = ConfigLock.acquire(file)) {
      storeLocked(registry, credential);
    }
  }

  /**
   * Removes the registry's credentials; returns false when there were none in the file. A
   * concurrent logout of the same registry finds them gone and returns false.
   */
  public boolean remove(String registry) throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    try (ConfigLock lock = ConfigLock.acquire(file)) {
      return removeLocked(registry);
    }
  }

  private void storeLocked(String registry, Credential credential) throws IOException {
    String server = DockerConfigLocation.serverKey(registry);
    ObjectNode config = read();
    String helper = helperFor(config, server);
    if (helper != null) {
      ObjectNode payload = Json.object();
      payload.put("ServerURL", server);
      payload.put("Username", credential.username());
      payload.put("Secret", credential.secret());
      runHelper(helper, "store", Json.bytes(payload));
      return;
    }
    ObjectNode auths = config.has("auths") && config.get("auths").isObject()
        ? (ObjectNode) config.get("auths") : config.putObject("auths");
    ObjectNode entry = auths.has(server) && auths.get(server).isObject()
        ? (ObjectNode) auths.get(server) : auths.putObject(server);
    String pair = credential.username() + ":" + credential.secret();
    entry.put("auth", Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    write(config);
  }

  private boolean removeLocked(String registry) throws IOException {
    String server = DockerConfigLocation.serverKey(registry);
    ObjectNode config = read();
    String helper = helperFor(config, server);
    if (helper != null) {
      runHelper(helper, "erase", server.getBytes(StandardCharsets.UTF_8));
      return true;
    }
    JsonNode auths = config.get("auths");
    if (auths == null || !auths.isObject() || !auths.has(server)) {
      return false;
    }
    ((ObjectNode) auths).remove(server);
    write(config);
    return true;
  }

  private ObjectNode read() throws IOException {
    if (!Files.exists(file)) {
      return Json.object();
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0) {
      return Json.object();
    }
    try {
      return Json.parseObject(bytes, "Docker config " + file);
    } catch (RuntimeException e) {
      throw new RegistryException("cannot read " + file + ": " + e.getMessage() + "; fix or remove it", e);
    }
  }

  /** Temp file beside the target, owner-only permissions, then an atomic rename. */
  private void write(ObjectNode config) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".config.json", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system; the platform's defaults apply
      }
      try (OutputStream out = Files.newOutputStream(temp)) {
        out.write(Json.pretty(config).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String helperFor(ObjectNode config, String server) {
    String specific = Json.text(config.get("credHelpers"), server);
    if (specific != null && !specific.isBlank()) {
      return specific;
    }
    String store = Json.text(config, "credsStore");
    return store == null || store.isBlank() ? null : store;
  }

  /**
   * The program's full path on the environment's PATH: ProcessBuilder looks in this process's
   * PATH, which is not the environment imgtool was given (they differ in tests and embedders).
   */
  private String onPath(String program) {
    String path = environment.getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
    for (String dir : path.split(java.io.File.pathSeparator)) {
      java.nio.file.Path candidate = java.nio.file.Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return program;
  }

  /** Runs docker-credential-HELPER with the payload on stdin; its output is never shown (it may echo secrets). */
  private void runHelper(String helper, String action, byte[] stdin) throws IOException {
    String program = "docker-credential-" + helper;
    ProcessBuilder builder = new ProcessBuilder(onPath(program), action).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new RegistryException("credential helper " + program + " (named in " + file
          + ") cannot be run: is it installed and on PATH?", 0, List.of(), false);
    }
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin);
    }
    process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new RegistryException("credential helper " + program + " " + action + " timed out", 0, List.of(), false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new java.io.InterruptedIOException("interrupted while running " + program);
    }
    if (process.exitValue() != 0) {
      throw new RegistryException("credential helper " + program + " " + action + " failed (exit "
          + process.exitValue() + ")", 0, List.of(), false);
    }
  }
}
