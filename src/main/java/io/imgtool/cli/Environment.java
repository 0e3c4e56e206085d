package io.imgtool.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * The process environment, passed in so tests can run commands with their own: variables,
 * standard input, and standard output as bytes (for archives; text goes through picocli's writer).
 */
public record Environment(Map<String, String> variables, InputStream stdin, OutputStream stdout) {

  public Environment(Map<String, String> variables, InputStream stdin) {
    this(variables, stdin, OutputStream.nullOutputStream());
  }

  public String get(String name) {
    String value = variables.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  public Path home() {
    String home = get("HOME");
    return Paths.get(home != null ? home : System.getProperty("user.home"));
  }

  /** {@code $XDG_DATA_HOME}, default {@code ~/.local/share}. */
  public Path dataHome() {
    String xdg = get("XDG_DATA_HOME");
    return xdg != null ? Paths.get(xdg) : home().resolve(".local/share");
  }

  /** {@code $XDG_CACHE_HOME}, default {@code ~/.cache}. */
  public Path cacheHome() {
    String xdg = get("XDG_CACHE_HOME");
    return xdg != null ? Paths.get(xdg) : home().resolve(".cache");
  }

  /** {@code $XDG_CONFIG_HOME}, default {@code ~/.config}. */
  public Path configHome() {
    String xdg = get("XDG_CONFIG_HOME");
    return xdg != null ? Paths.get(xdg) : home().resolve(".config");
  }
}
