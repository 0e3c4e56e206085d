package io.imgtool.registry.credentials;

import io.imgtool.name.ImageReference;
import java.nio.file.Path;
import java.util.Map;

/** Where Docker keeps config.json and under which key a registry's credentials go. */
public final class DockerConfigLocation {
  /** Docker Hub's credentials live under its historical v1 index URL, as docker login writes them. */
  static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private DockerConfigLocation() {}

  /** {@code $DOCKER_CONFIG/config.json}, else {@code $HOME/.docker/config.json}. */
  public static Path configFile(Map<String, String> environment) {
    String dir = environment.get("DOCKER_CONFIG");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir, "config.json");
    }
    String home = environment.get("HOME");
    return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"),
        ".docker", "config.json");
  }

  /** The config.json key for a registry as written in image names. */
  public static String serverKey(String registry) {
    return registry.equals(ImageReference.DOCKER_HUB) || registry.equals("index.docker.io")
        || registry.equals("registry-1.docker.io") ? DOCKER_HUB_KEY : registry;
  }
}
