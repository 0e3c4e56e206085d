package io.imgtool.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs imgtool in-process with its own environment, the way a user runs it in a shell. */
public final class Cli {
  private final Map<String, String> env = new HashMap<>();
  private InputStream stdin = new ByteArrayInputStream(new byte[0]);

  public Cli(Path home) {
    env.put("HOME", home.toString());
    env.put("IMGTOOL_STORE", home.resolve("store").toString());
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  public Cli env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  public Cli stdin(byte[] bytes) {
    stdin = new ByteArrayInputStream(bytes);
    return this;
  }

  public Path store() {
    return Path.of(env.get("IMGTOOL_STORE"));
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true),
        new Environment(env, stdin, bytes), args).execute(args);
    return new Result(exit, out.toString(), err.toString(), bytes.toByteArray());
  }

  /** What a command printed and how it ended; {@code bytes} is what it wrote to stdout as bytes (archives). */
  public record Result(int exit, String out, String err, byte[] bytes) {
    public Result ok() {
      if (exit != 0) {
        throw new AssertionError("expected success, got exit " + exit + "\nstderr: " + err + "\nstdout: " + out);
      }
      return this;
    }

    public String line() {
      return out.strip();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
    }
  }
}
