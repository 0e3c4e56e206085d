package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.cli.Cli;
import io.imgtool.image.Json;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry habits from Docker: push and pull --all-tags, the up-to-date status of a pull, and
 * manifest inspect printing the registry's own bytes, checked against skopeo's.
 */
class RegistryHabitsIT {
  @TempDir static Path dir;
  static RegistryFixture registry;
  static Cli cli;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry", "skopeo");
    registry = RegistryFixture.plain(dir.resolve("registry"));
    cli = new Cli(Files.createDirectory(dir.resolve("home")));
    Path a = Tars.create().file("a", "a").write(dir.resolve("a.tar"));
    Path b = Tars.create().file("b", "b").write(dir.resolve("b.tar"));
    cli.run("import", a.toString(), registry.registry() + "/team/app:1.0").ok();
    cli.run("import", b.toString(), registry.registry() + "/team/app:2.0").ok();
    cli.run("tag", registry.registry() + "/team/app:2.0", registry.registry() + "/team/app:latest",
        registry.registry() + "/team/other:1").ok();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void allTagsPushesEveryLocalTagAndPullsEveryRemoteOne() throws Exception {
    String repository = registry.registry() + "/team/app";
    Cli.Result pushed = cli.run("push", "--all-tags", repository).ok();
    assertEquals(3, pushed.out().lines().count(), pushed.out());
    assertTrue(pushed.out().lines().allMatch(line -> line.matches(java.util.regex.Pattern.quote(repository)
        + "@sha256:[0-9a-f]{64}")), pushed.out());
    assertEquals(1, pushed.err().lines().filter(l -> l.startsWith("The push refers to repository [")).count(),
        "one header for the repository: " + pushed.err());
    for (String tag : List.of("1.0", "2.0", "latest")) {
      assertTrue(pushed.err().lines().anyMatch(l -> l.matches(tag.replace(".", "\\.") + ": digest: sha256:[0-9a-f]{64}"
          + " size: \\d+")), tag + " in: " + pushed.err());
    }
    JsonNode tags = Json.MAPPER.readTree(Tools.run(Judges.command("skopeo"), "list-tags", "--tls-verify=false",
        "docker://" + repository).orFail().out()).get("Tags");
    List<String> listed = new java.util.ArrayList<>();
    tags.forEach(tag -> listed.add(tag.asText()));
    assertEquals(List.of("1.0", "2.0", "latest"), listed.stream().sorted().toList(), "skopeo sees every tag");

    Cli.Result tagged = cli.run("push", "-a", repository + ":1.0");
    assertEquals(2, tagged.exit(), tagged.toString());
    assertTrue(tagged.err().contains("tag can't be used with --all-tags/-a"), tagged.err());

    Cli fresh = new Cli(Files.createDirectory(dir.resolve("fresh")));
    Cli.Result pulled = fresh.run("pull", "-a", repository).ok();
    assertEquals(3, pulled.out().lines().count(), pulled.out());
    List<String> names = fresh.run("images", "--format", "{{.Tag}}").ok().out().lines().sorted().toList();
    assertEquals(List.of("1.0", "2.0", "latest"), names);
    Cli.Result again = fresh.run("pull", repository + ":1.0").ok();
    assertTrue(again.err().endsWith("Status: Image is up to date for " + repository + ":1.0\n"), again.err());
    assertTrue(pulled.err().contains("Status: Downloaded newer image for " + repository + ":1.0\n"), pulled.err());
  }

  @Test
  void manifestInspectPrintsTheRegistrysBytesIndentedAsDockerDoes() throws Exception {
    String name = registry.registry() + "/team/other:1";
    cli.run("-q", "push", name).ok();
    String shown = cli.run("manifest", "inspect", name).ok().out();
    String raw = new String(Judges.skopeoRaw(name), StandardCharsets.UTF_8);
    assertEquals(raw.replaceAll("\\s", ""), shown.replaceAll("\\s", ""), "the registry's tokens, in its order");
    assertTrue(shown.startsWith("{\n\t\"schemaVersion\": 2,\n\t\"mediaType\": "), shown);
    assertTrue(shown.contains("\n\t\"layers\": [\n\t\t{\n\t\t\t\"mediaType\": "), shown);

    // An index, as a registry holds it: printed as it is, not resolved to a platform.
    String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}";
    registry.putManifest("team/multi", "1", index.getBytes(StandardCharsets.UTF_8),
        "application/vnd.oci.image.index.v1+json");
    assertEquals("{\n\t\"schemaVersion\": 2,\n\t\"mediaType\": \"application/vnd.oci.image.index.v1+json\",\n"
        + "\t\"manifests\": []\n}\n", cli.run("manifest", "inspect", registry.registry() + "/team/multi:1").ok().out());
  }
}
