package io.imgtool.registry.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import io.imgtool.registry.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Login writes what docker login writes; Jib Core reads it back; logout removes only that entry. */
class DockerConfigFileTest {
  @TempDir Path home;

  private Path config() {
    return DockerConfigLocation.configFile(Map.of("DOCKER_CONFIG", home.toString()));
  }

  @Test
  void loginEntryIsReadBackAndOtherFieldsSurvive() throws Exception {
    Files.writeString(config(), "{\"auths\":{\"other.example\":{\"auth\":\"eDp5\"}},"
        + "\"HttpHeaders\":{\"User-Agent\":\"me\"},\"credHelpers\":{\"gcr.io\":\"gcloud\"}}");
    DockerConfigFile file = new DockerConfigFile(config(), Map.of());
    file.store("registry.example:5000", new Credential("alice", "s3cret:with:colons"));

    JsonNode json = Json.MAPPER.readTree(config().toFile());
    assertEquals("me", json.path("HttpHeaders").path("User-Agent").asText());
    assertEquals("gcloud", json.path("credHelpers").path("gcr.io").asText());
    assertEquals("eDp5", json.path("auths").path("other.example").path("auth").asText());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config())));

    DockerCredentials credentials = new DockerCredentials(config(), Map.of());
    assertEquals(Optional.of(new Credential("alice", "s3cret:with:colons")),
        credentials.credentialFor("registry.example:5000"));
    assertEquals(Optional.empty(), credentials.credentialFor("unknown.example"));

    assertTrue(file.remove("registry.example:5000"));
    assertFalse(file.remove("registry.example:5000"));
    assertEquals(Optional.empty(), credentials.credentialFor("registry.example:5000"));
    assertEquals("me", Json.MAPPER.readTree(config().toFile()).path("HttpHeaders").path("User-Agent").asText());
  }

  @Test
  void dockerHubCredentialsUseDockersKey() throws Exception {
    new DockerConfigFile(config(), Map.of()).store("docker.io", new Credential("bob", "pw"));
    JsonNode json = Json.MAPPER.readTree(config().toFile());
    assertTrue(json.path("auths").has("https://index.docker.io/v1/"), json.toString());
    assertEquals(Optional.of(new Credential("bob", "pw")),
        new DockerCredentials(config(), Map.of()).credentialFor("docker.io"));
  }

  @Test
  void missingConfigMeansNoCredentials() {
    assertEquals(Optional.empty(), new DockerCredentials(home.resolve("none/config.json"), Map.of())
        .credentialFor("registry.example"));
  }

  @Test
  void configLocationFollowsDockerConfig() {
    assertEquals(Path.of("/x/config.json"), DockerConfigLocation.configFile(Map.of("DOCKER_CONFIG", "/x")));
    assertTrue(DockerConfigLocation.configFile(Map.of()).endsWith(".docker/config.json"));
  }
}
