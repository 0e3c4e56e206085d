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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI examples run as written, against a registry with a login (token auth, the user's own
 * namespace only, as Aliyun's) on this machine: examples/ci.sh, the script of examples/github-actions.yml's build step and the
 * script of examples/gitlab-ci.yml, with imgtool on PATH as the jar. Each logs in with
 * --password-stdin, commits with --iidfile and SOURCE_DATE_EPOCH, pushes with --digestfile and
 * lists with --format json; skopeo checks what the registry holds.
 */
class CiExamplesIT {
  private static final Path EXAMPLES = Path.of("examples").toAbsolutePath();

  /** The checkouts' commit time, 2024-01-02T03:04:05Z: SOURCE_DATE_EPOCH in the jobs. */
  private static final String COMMIT_TIME = "2024-01-02T03:04:05Z";

  @TempDir static Path dir;
  static RegistryFixture registry;
  static String base;
  /** The image ID every job must make from the same commit, whatever its store: made here, in-process. */
  static String expectedId;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry", "skopeo", "git", "tar");
    registry = RegistryFixture.token(dir.resolve("registry"));
    base = registry.registry() + "/alice/debian:12";
    Cli seeder = new Cli(Files.createDirectory(dir.resolve("seeder"))).env("DOCKER_CONFIG", dir.resolve("seeder/docker").toString());
    seeder.stdin((RegistryFixture.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
    seeder.run("login", "-u", RegistryFixture.USER, "--password-stdin", registry.registry()).ok();
    Path rootfs = Tars.create().dir("bin").file("bin/sh", "#!shell", 0100755).write(dir.resolve("rootfs.tar"));
    seeder.run("import", rootfs.toString(), base).ok();
    seeder.run("-q", "push", base).ok();

    Path repo = checkout("expected");
    Tools.run(Map.of(), List.of("tar", "--sort=name", "--mtime=@1704164645", "--owner=0", "--group=0", "--numeric-owner",
        "-C", repo.resolve("dist").toString(), "--transform", "s,^\\.,app,", "-cf", repo.resolve("app.tar").toString(), "."))
        .orFail();
    Cli builder = new Cli(Files.createDirectory(dir.resolve("builder")))
        .env("DOCKER_CONFIG", dir.resolve("seeder/docker").toString()).env("SOURCE_DATE_EPOCH", "1704164645");
    expectedId = builder.run("commit", "-q", "--layer", repo.resolve("app.tar").toString(), "-c", "WORKDIR /app",
        "-c", "CMD [\"/app/run\"]", base).ok().line();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  /** A checkout: a git repository with dist/run, committed at a fixed time. */
  private static Path checkout(String name) throws Exception {
    Path repo = Files.createDirectory(dir.resolve(name));
    Files.createDirectories(repo.resolve("dist"));
    Files.writeString(repo.resolve("dist/run"), "#!/bin/sh\necho hello\n");
    Map<String, String> env = Map.of("GIT_AUTHOR_DATE", COMMIT_TIME, "GIT_COMMITTER_DATE", COMMIT_TIME);
    Tools.run(env, List.of("git", "-C", repo.toString(), "init", "-q")).orFail();
    Tools.run(env, List.of("git", "-C", repo.toString(), "add", ".")).orFail();
    Tools.run(env, List.of("git", "-C", repo.toString(), "-c", "user.name=ci", "-c", "user.email=ci@example.com",
        "commit", "-q", "-m", "build")).orFail();
    return repo;
  }

  /** The environment of a CI runner: imgtool on PATH (the jar), a home and store of its own. */
  private static Map<String, String> runner(Path repo) throws Exception {
    Path home = Files.createDirectory(repo.resolveSibling(repo.getFileName() + "-home"));
    Path bin = Files.createDirectory(home.resolve("bin"));
    Path imgtool = bin.resolve("imgtool");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(imgtool, "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar '"
        + System.getProperty("imgtool.jar") + "' \"$@\"\n");
    Files.setPosixFilePermissions(imgtool, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = new HashMap<>();
    env.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", home.toString());
    env.put("IMGTOOL_STORE", home.resolve("store").toString());
    env.put("DOCKER_CONFIG", home.resolve("docker").toString());
    env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    return env;
  }

  private static Tools.Result bash(Path repo, Map<String, String> env, String script) throws Exception {
    List<String> command = List.of("bash", "-c", "set -euo pipefail; cd '" + repo + "'\n" + script);
    return Tools.run(env, command);
  }

  /**
   * The registry holds the image under the digest the job wrote, and the job made the image the
   * same commit always gives (SOURCE_DATE_EPOCH), in its own store.
   */
  private static void assertPushed(Path repo, String target, Tools.Result job) throws Exception {
    assertEquals(0, job.exit(), job.err() + job.out());
    String id = Files.readString(repo.resolve("image-id")).strip();
    String digest = Files.readString(repo.resolve("image-digest")).strip();
    assertEquals(expectedId, id, "the same commit gives the same image ID in any store");
    JsonNode remote = io.imgtool.registry.it.Tools.skopeoInspect(target, RegistryFixture.USER + ":" + RegistryFixture.PASSWORD);
    assertEquals(digest, remote.path("Digest").asText());
    assertTrue(job.err().lines().noneMatch(line -> line.contains(RegistryFixture.PASSWORD)), "no secret in the log");
  }

  @Test
  void ciShBuildsReproduciblyPushesAndLeavesIdDigestAndJson() throws Exception {
    String target = registry.registry() + "/alice/app:1";
    Path repo = checkout("ci");
    Map<String, String> env = runner(repo);
    env.putAll(Map.of("BASE", base, "TARGET", target, "ARTIFACT_DIR", "dist",
        "REGISTRY_USER", RegistryFixture.USER, "REGISTRY_PASSWORD", RegistryFixture.PASSWORD, "IMGTOOL", "imgtool"));
    Tools.Result job = bash(repo, env, "'" + EXAMPLES.resolve("ci.sh") + "'");
    assertPushed(repo, target, job);
    assertTrue(job.out().contains("pushed as " + registry.registry() + "/alice/app@sha256:"), job.out());
    JsonNode listed = Json.MAPPER.readTree(Files.readString(repo.resolve("images.json")).lines().findFirst().orElseThrow());
    assertEquals(registry.registry() + "/alice/app", listed.get("Repository").asText());
  }

  @Test
  void theGithubActionsBuildStepRunsAsWritten() throws Exception {
    List<String> yaml = Files.readAllLines(EXAMPLES.resolve("github-actions.yml"));
    int step = yaml.indexOf("      - name: build and push");
    int run = step;
    while (!yaml.get(run).strip().equals("run: |")) {
      run++;
    }
    String script = String.join("\n", block(yaml, run));
    Path repo = checkout("github");
    Map<String, String> env = runner(repo);
    String image = registry.registry() + "/alice/gh";
    env.putAll(Map.of("REGISTRY", registry.registry(), "BASE", base, "IMAGE", image, "GITHUB_SHA", "0123abc",
        "GITHUB_OUTPUT", repo.resolve("github-output").toString(),
        "REGISTRY_USER", RegistryFixture.USER, "REGISTRY_PASSWORD", RegistryFixture.PASSWORD));
    Tools.Result job = bash(repo, env, script);
    assertPushed(repo, image + ":0123abc", job);
    String outputs = Files.readString(repo.resolve("github-output"));
    assertTrue(outputs.matches("id=sha256:[0-9a-f]{64}\ndigest=sha256:[0-9a-f]{64}\n"), outputs);
    assertEquals(image, Json.MAPPER.readTree(job.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
        .get("Repository").asText());
  }

  @Test
  void theGitlabCiScriptRunsAsWritten() throws Exception {
    List<String> yaml = Files.readAllLines(EXAMPLES.resolve("gitlab-ci.yml"));
    StringBuilder script = new StringBuilder();
    for (String variable : block(yaml, yaml.indexOf("  variables:"))) {
      int colon = variable.indexOf(':');
      script.append("export ").append(variable, 0, colon).append("=\"").append(variable.substring(colon + 1).strip())
          .append("\"\n");
    }
    for (String item : block(yaml, yaml.indexOf("  script:"))) {
      script.append(item.replaceFirst("^- ", "")).append('\n');
    }
    Path repo = checkout("gitlab");
    Map<String, String> env = runner(repo);
    String project = registry.registry() + "/alice/gl";
    env.putAll(Map.of("CI_REGISTRY", registry.registry(), "CI_REGISTRY_IMAGE", project, "CI_COMMIT_SHA", "4567def",
        "CI_REGISTRY_USER", RegistryFixture.USER, "CI_REGISTRY_PASSWORD", RegistryFixture.PASSWORD));
    new Cli(dir.resolve("seeder")).env("DOCKER_CONFIG", dir.resolve("seeder/docker").toString())
        .run("-q", "push", base, project + "/base:12").ok(); // the project's own base image
    Tools.Result job = bash(repo, env, script.toString());
    assertPushed(repo, project + "/app:4567def", job);
  }

  /** The lines indented under {@code yaml.get(at)}, without that indentation. */
  private static List<String> block(List<String> yaml, int at) {
    int indent = indent(yaml.get(at));
    List<String> lines = new ArrayList<>();
    int inner = -1;
    for (int i = at + 1; i < yaml.size() && (yaml.get(i).isBlank() || indent(yaml.get(i)) > indent); i++) {
      if (inner < 0) {
        inner = indent(yaml.get(i));
      }
      lines.add(yaml.get(i).length() >= inner ? yaml.get(i).substring(inner) : "");
    }
    return lines;
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
