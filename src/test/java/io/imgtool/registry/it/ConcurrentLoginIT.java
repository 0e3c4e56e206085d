package io.imgtool.registry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import io.imgtool.testing.ChildCli;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight logins, then eight logouts, as parallel processes sharing one config.json (the jobs of a
 * CI machine): every login is kept, every logout removes its secret, and the fields imgtool does
 * not know survive. Each registry is a relay of its own port in front of one real registry.
 */
class ConcurrentLoginIT {
  private static final int PROCESSES = 8;
  private static final String SECRET = "parallel-secret";

  @TempDir static Path dir;
  static RegistryFixture registry;
  static List<CountingRelay> relays = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry");
    registry = RegistryFixture.plain(dir.resolve("registry"));
    for (int i = 0; i < PROCESSES; i++) {
      relays.add(new CountingRelay(registry.port()));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (CountingRelay relay : relays) {
      relay.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private static List<Tools.Result> inParallel(Path home, String command, boolean withPassword) throws Exception {
    List<ProcessBuilder> commands = new ArrayList<>();
    List<byte[]> stdins = new ArrayList<>();
    Map<String, String> env = Map.of("HOME", home.toString(), "DOCKER_CONFIG", home.resolve("docker").toString(),
        "IMGTOOL_STORE", home.resolve("store").toString());
    for (int i = 0; i < PROCESSES; i++) {
      Path log = home.resolve(command + i + ".log");
      String server = relays.get(i).registry();
      commands.add(withPassword
          ? ChildCli.builder(env, log, command, "-u", "user" + i, "--password-stdin", server)
          : ChildCli.builder(env, log, command, server));
      stdins.add(withPassword ? (SECRET + i + "\n").getBytes(StandardCharsets.UTF_8) : new byte[0]);
    }
    List<Tools.Result> results = ChildCli.runAll(commands, stdins);
    for (Tools.Result result : results) {
      result.orFail();
    }
    return results;
  }

  @Test
  void parallelLoginsAndLogoutsLoseNothing() throws Exception {
    Path home = Files.createTempDirectory(dir, "home");
    Path config = Files.createDirectories(home.resolve("docker")).resolve("config.json");
    Files.writeString(config, "{\"HttpHeaders\":{\"User-Agent\":\"ci\"},\"detachKeys\":\"ctrl-e,e\","
        + "\"auths\":{\"kept.example\":{\"auth\":\"a2VwdDprZXB0\",\"email\":\"x@example.com\"}}}");

    inParallel(home, "login", true);

    JsonNode json = Json.MAPPER.readTree(config.toFile());
    TreeSet<String> expected = new TreeSet<>(List.of("kept.example"));
    relays.forEach(relay -> expected.add(relay.registry()));
    assertEquals(expected, fieldNames(json.get("auths")), json.toString());
    for (int i = 0; i < PROCESSES; i++) {
      String pair = "user" + i + ":" + SECRET + i;
      assertEquals(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)),
          json.at("/auths/" + relays.get(i).registry() + "/auth").asText());
    }

    List<Tools.Result> logouts = inParallel(home, "logout", false);

    for (Tools.Result logout : logouts) {
      assertFalse(logout.out().contains("Not logged in"), logout.out());
    }
    String after = Files.readString(config);
    String userPrefix = "dXNlc"; // how base64 of "user" + i + ":" + secret begins
    assertFalse(after.contains(userPrefix), "no secret of a logged out registry is left: " + after);
    json = Json.MAPPER.readTree(after);
    assertEquals(new TreeSet<>(List.of("kept.example")), fieldNames(json.get("auths")), after);
    assertEquals("x@example.com", json.at("/auths/kept.example/email").asText());
    assertEquals("ci", json.at("/HttpHeaders/User-Agent").asText());
    assertEquals("ctrl-e,e", json.get("detachKeys").asText());
  }

  private static TreeSet<String> fieldNames(JsonNode node) {
    TreeSet<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
