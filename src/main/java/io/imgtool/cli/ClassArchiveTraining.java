package io.imgtool.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Runs the common commands of one command family once, in a scratch directory, so that the
 * launcher's class-data archive of that family ({@code -XX:DumpLoadedClassList}, then
 * {@code -Xshare:dump}) holds the classes a real command loads. Never part of a user's command;
 * nothing leaves the scratch directory, and the registry commands aim at a closed loopback port.
 *
 * <p>{@code ClassArchiveTraining FAMILY DIR}, FAMILY one of:
 * <ul>
 *   <li>{@code seed}: imports the image the other families use into DIR (not recorded);
 *   <li>{@code local}: the commands that only read or retag the store (images, tag, inspect, ...),
 *       whose archive then holds neither layer building, HTTP, TLS nor JNA. The JVM relocates an
 *       archive's pointers on every start (ASLR), so a smaller archive is a faster start;
 *   <li>{@code all}: every command, seeding DIR itself.
 * </ul>
 */
public final class ClassArchiveTraining {
  private ClassArchiveTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ClassArchiveTraining seed|local|all DIR");
    }
    Path scratch = Files.createDirectories(Path.of(args[1]));
    Map<String, String> env = new HashMap<>();
    env.put("HOME", scratch.toString());
    env.put("IMGTOOL_STORE", scratch.resolve("store").toString());
    switch (args[0]) {
      case "seed" -> seed(env, scratch);
      case "local" -> local(env);
      case "all" -> {
        seed(env, scratch);
        local(env);
        remote(env, scratch);
      }
      default -> throw new IllegalArgumentException("unknown family: " + args[0]);
    }
  }

  private static void seed(Map<String, String> env, Path scratch) throws IOException {
    Path tar = tinyLayer(scratch.resolve("layer.tar"));
    run(env, "import", tar.toString(), "training:1");
    run(env, "commit", "-m", "m", "-c", "ENV A=1", "--layer", tar.toString(), "training:1", "training:2");
  }

  private static void local(Map<String, String> env) {
    // What Main runs before the command line, which run() below does not go through.
    if (WarmUp.needed(new String[] {"images"})) {
      new WarmUp(false).run();
    }
    run(env, "--help");
    run(env, "version");
    run(env, "tag", "training:2", "training:3", "training:4");
    run(env, "images");
    run(env, "images", "-q", "--filter", "dangling=false");
    run(env, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}");
    run(env, "history", "training:2");
    run(env, "inspect", "training:2");
    run(env, "inspect", "-f", "{{.Id}} {{json .Config}}", "training:2");
    run(env, "imags");
    run(env, "rmi", "training:4");
    run(env, "prune", "--force");
  }

  private static void remote(Map<String, String> env, Path scratch) {
    Path rootfs = scratch.resolve("rootfs");
    run(env, "unpack", "training:2", rootfs.resolve("r").toString());
    run(env, "diff", "training:2", rootfs.resolve("r").toString());
    run(env, "push", "training:2", "127.0.0.1:1/training:2");
    run(env, "catalog", "127.0.0.1:1");
    run(env, "rmi", "training:2");
    run(env, "prune", "--force");
  }

  private static void run(Map<String, String> env, String... args) {
    PrintWriter sink = new PrintWriter(new StringWriter());
    ImgtoolCommand root;
    var commandLine = Main.newCommandLine(sink, sink, env, new ByteArrayInputStream(new byte[0]), args);
    commandLine.execute(args);
    root = commandLine.getCommand();
    root.close();
  }

  private static Path tinyLayer(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarArchiveEntry entry = new TarArchiveEntry("etc/training");
      byte[] content = "training\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return file;
  }
}
