package io.imgtool.it;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.cli.Cli;
import io.imgtool.image.Json;
import io.imgtool.registry.it.NetnsRegistry;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.registry.it.Tools;
import io.imgtool.testing.Tars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in and pushing through the command line: an Aliyun-like token registry (push only
 * into the user's own namespace) and an htpasswd registry behind a self-signed certificate on a
 * non-loopback address (which needs --insecure or its CA in certs.d). Credentials live in
 * Docker's config.json under $DOCKER_CONFIG and never show in any output.
 */
class AuthWorkflowIT {
  private static final String ALICE = RegistryFixture.USER;
  private static final String PASSWORD = RegistryFixture.PASSWORD;

  @TempDir static Path dir;
  static RegistryFixture token;
  static NetnsRegistry tls;
  static Path image;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry");
    token = RegistryFixture.token(dir.resolve("token"));
    if (NetnsRegistry.isAvailable()) {
      tls = NetnsRegistry.startTls(dir.resolve("tls"));
    }
    image = Tars.create().dir("etc").file("etc/app.conf", "port=80\n").write(dir.resolve("app.tar"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (tls != null) {
      tls.close();
    }
    if (token != null) {
      token.close();
    }
  }

  /** A user with their own store, home, $DOCKER_CONFIG and $XDG_CONFIG_HOME, and a local image app:1. */
  private static Cli user() throws Exception {
    Path home = Files.createTempDirectory(dir, "user");
    Cli cli = new Cli(home)
        .env("DOCKER_CONFIG", home.resolve("docker").toString())
        .env("XDG_CONFIG_HOME", home.resolve("xdg").toString());
    cli.run("import", image.toString(), "app:1").ok();
    return cli;
  }

  private static Path dockerConfig(Cli cli) {
    return cli.store().resolveSibling("docker").resolve("config.json");
  }

  private static Cli.Result login(Cli cli, String registry, String password, String... options) {
    cli.stdin((password + "\n").getBytes(StandardCharsets.UTF_8));
    List<String> args = new java.util.ArrayList<>(List.of("login"));
    args.addAll(List.of(options));
    args.addAll(List.of("-u", ALICE, "--password-stdin", registry));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void loginThenPushIntoOwnNamespaceButNotAnothers() throws Exception {
    Cli alice = user();
    String registry = token.registry();

    Cli.Result login = login(alice, registry, PASSWORD).ok();
    assertEquals("Login Succeeded", login.line());
    JsonNode config = Json.MAPPER.readTree(dockerConfig(alice).toFile());
    assertTrue(config.path("auths").has(registry), config.toString());

    Cli.Result pushed = alice.run("push", "app:1", registry + "/alice/app:1").ok();
    assertTrue(pushed.line().matches(java.util.regex.Pattern.quote(registry + "/alice/app@") + "sha256:[0-9a-f]{64}"),
        pushed.out());

    Cli.Result denied = alice.run("push", "app:1", registry + "/bob/app:1");
    assertEquals(1, denied.exit(), denied.toString());
    assertEquals("", denied.out());
    assertTrue(denied.err().contains("bob/app"), denied.err());
    assertTrue(denied.err().contains("may not push") && denied.err().contains("namespace"), denied.err());
    RegistryWorkflowIT.assertNoStackTrace(denied.err());
    assertTrue(denied.err().lines().filter(l -> !l.isBlank()).count() <= 2, denied.err());

    Judges.require("skopeo", "umoci");
    JsonNode remote = Tools.skopeoInspect(registry + "/alice/app:1", ALICE + ":" + PASSWORD);
    assertEquals(pushed.line().substring(pushed.line().indexOf('@') + 1), remote.path("Digest").asText());
  }

  @Test
  void credentialHelpersNamedInDockerConfigStoreAndSupplyTheSecret() throws Exception {
    Cli alice = user();
    String registry = token.registry();
    // A docker-credential-* helper as Docker runs it: store reads JSON on stdin, get prints it back.
    Path bin = Files.createDirectories(dockerConfig(alice).getParent().resolveSibling("bin"));
    Path vault = bin.resolve("vault.json");
    Path helper = bin.resolve("docker-credential-imgtooltest");
    Files.writeString(helper, "#!/bin/sh\n"
        + "case \"$1\" in\n"
        + "  store) cat > '" + vault + "' ;;\n"
        + "  get) cat > /dev/null; cat '" + vault + "' ;;\n"
        + "  erase) rm -f '" + vault + "' ;;\n"
        + "esac\n");
    helper.toFile().setExecutable(true);
    Files.createDirectories(dockerConfig(alice).getParent());
    Files.writeString(dockerConfig(alice), "{\"credHelpers\":{\"" + registry + "\":\"imgtooltest\"}}");
    alice.env("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));

    login(alice, registry, PASSWORD).ok();
    assertTrue(Files.readString(vault).contains(PASSWORD), "the helper holds the secret");
    assertFalse(Files.readString(dockerConfig(alice)).contains(PASSWORD), "config.json does not");
    // Reading goes through Jib Core, which finds helpers on the process's own PATH: a real process.
    String jar = System.getProperty("imgtool.jar");
    Judges.requireThat(jar != null && Files.exists(Path.of(jar)), "the shaded jar is built by mvn package");
    ProcessBuilder push = new ProcessBuilder("java", "-jar", jar, "push", "app:1", registry + "/alice/helped:1")
        .redirectErrorStream(true);
    push.environment().put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    push.environment().put("DOCKER_CONFIG", dockerConfig(alice).getParent().toString());
    push.environment().put("IMGTOOL_STORE", alice.store().toString());
    push.environment().put("HOME", alice.store().getParent().toString());
    Process process = push.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    assertTrue(output.contains(registry + "/alice/helped@sha256:"), output);

    alice.run("logout", registry).ok();
    assertFalse(Files.exists(vault), "logout erased it through the helper");
  }

  @Test
  void wrongPasswordLoginSavesNothing() throws Exception {
    Cli alice = user();
    String registry = token.registry();

    Cli.Result fresh = login(alice, registry, "not-the-password");
    assertEquals(1, fresh.exit(), fresh.toString());
    assertFalse(Files.exists(dockerConfig(alice)), "no config.json after a failed first login");
    assertFalse(fresh.err().contains("not-the-password"), fresh.err());
    RegistryWorkflowIT.assertNoStackTrace(fresh.err());

    login(alice, registry, PASSWORD).ok();
    byte[] before = Files.readAllBytes(dockerConfig(alice));
    Cli.Result wrong = login(alice, registry, "not-the-password");
    assertEquals(1, wrong.exit(), wrong.toString());
    assertEquals("", wrong.out());
    assertTrue(wrong.err().contains(registry), wrong.err());
    assertArrayEquals(before, Files.readAllBytes(dockerConfig(alice)), "config.json is unchanged");
  }

  @Test
  void logoutRemovesTheEntryAndAPushThenSaysToLogIn() throws Exception {
    Cli alice = user();
    String registry = token.registry();
    login(alice, registry, PASSWORD).ok();

    Cli.Result logout = alice.run("logout", registry).ok();
    assertTrue(logout.out().contains(registry), logout.out());
    JsonNode config = Json.MAPPER.readTree(dockerConfig(alice).toFile());
    assertFalse(config.path("auths").has(registry), config.toString());

    Cli.Result push = alice.run("push", "app:1", registry + "/alice/app:2");
    assertEquals(1, push.exit(), push.toString());
    assertTrue(push.err().contains("imgtool login " + registry), push.err());
    RegistryWorkflowIT.assertNoStackTrace(push.err());
    assertTrue(push.err().lines().filter(l -> !l.isBlank()).count() <= 2, push.err());
  }

  @Test
  void debugOutputOfLoginAndPushNeverShowsASecret() throws Exception {
    Cli alice = user();
    String registry = token.registry();
    String basic = Base64.getEncoder().encodeToString((ALICE + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    Cli.Result login = login(alice, registry, PASSWORD, "--debug").ok();
    Cli.Result push = alice.run("--debug", "push", "app:1", registry + "/alice/debug:1").ok();
    Cli.Result loginOnCommandLine = alice.run("--debug", "login", "-u", ALICE, "-p", PASSWORD, registry).ok();
    String all = login.err() + push.err() + loginOnCommandLine.err() + login.out() + push.out();

    assertTrue(push.err().contains("DEBUG"), "the trace is on: " + push.err());
    assertTrue(all.contains("Authorization"), "requests are traced with their (redacted) Authorization: " + all);
    assertFalse(all.contains(PASSWORD), all);
    assertFalse(all.contains(basic), all);
    assertFalse(all.contains("Bearer ey"), all);
    // Every token the token server issues is a JWT, and every JWT starts with "eyJ" ({").
    assertFalse(all.contains("eyJ"), all);
  }

  @Test
  void selfSignedTlsOffLoopbackNeedsInsecureOrItsCaInCertsD() throws Exception {
    Judges.requireThat(tls != null, "no network namespace for a registry off loopback: "
        + NetnsRegistry.unavailableReason().orElse(""));
    Cli alice = user();
    String registry = tls.host();

    Cli.Result untrusted = login(alice, registry, PASSWORD);
    assertEquals(1, untrusted.exit(), untrusted.toString());
    assertCertificateAdvice(untrusted, registry);
    assertFalse(Files.exists(dockerConfig(alice)), "nothing saved");

    login(alice, registry, PASSWORD, "--insecure").ok();
    Cli.Result refused = alice.run("push", "app:1", registry + "/team/app:1");
    assertEquals(1, refused.exit(), refused.toString());
    assertEquals("", refused.out());
    assertCertificateAdvice(refused, registry);

    Cli.Result insecure = alice.run("push", "--insecure", "app:1", registry + "/team/app:1").ok();
    assertTrue(insecure.line().startsWith(registry + "/team/app@sha256:"), insecure.out());

    Path ca = alice.store().resolveSibling("xdg").resolve("imgtool/certs.d").resolve(registry).resolve("ca.crt");
    Files.createDirectories(ca.getParent());
    Files.copy(tls.certificate(), ca);
    Cli.Result verified = alice.run("push", "app:1", registry + "/team/app:2").ok();
    assertEquals(insecure.line(), verified.line(), "the same image, verified this time");
    assertEquals(List.of("team/app"), alice.run("catalog", registry).ok().out().lines().toList());
    assertEquals(List.of("1", "2"), alice.run("tags", registry + "/team/app").ok().out().lines().sorted().toList());

    Judges.require("skopeo", "umoci");
    JsonNode remote = Tools.skopeoInspect(registry + "/team/app:2", ALICE + ":" + PASSWORD);
    assertEquals(verified.line().substring(verified.line().indexOf('@') + 1), remote.path("Digest").asText());
  }

  private static void assertCertificateAdvice(Cli.Result result, String registry) {
    String err = result.err();
    assertTrue(err.contains("cannot verify the TLS certificate of registry " + registry), err);
    assertTrue(err.contains("certs.d/" + registry), err);
    assertTrue(err.contains("--insecure"), err);
    assertEquals(1, err.lines().filter(l -> !l.isBlank() && !l.startsWith("The push refers to")).count(),
        "one line besides docker push's header: " + err);
    RegistryWorkflowIT.assertNoStackTrace(err);
  }
}
