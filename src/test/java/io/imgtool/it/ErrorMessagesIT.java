package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import io.imgtool.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors name the real cause and the thing it happened to, in the user's words: an unknown host,
 * a registry that is down (its advice once), saved credentials the registry now rejects (and how
 * to replace them), a config.json that is not JSON (a warning, as Docker gives), a full disk (the
 * path), and login reusing saved credentials as docker login does.
 */
class ErrorMessagesIT {
  @TempDir static Path dir;
  static RegistryFixture htpasswd;
  static RegistryFixture token;
  static Path image;

  @BeforeAll
  static void start() throws Exception {
    Judges.require("docker-registry");
    htpasswd = RegistryFixture.htpasswdTls(dir.resolve("htpasswd"));
    token = RegistryFixture.token(dir.resolve("token"));
    image = Tars.create().file("etc/app.conf", "port=80\n").write(dir.resolve("app.tar"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (htpasswd != null) {
      htpasswd.close();
    }
    if (token != null) {
      token.close();
    }
  }

  private static Cli user() throws Exception {
    Path home = Files.createTempDirectory(dir, "user");
    Cli cli = new Cli(home).env("DOCKER_CONFIG", home.resolve("docker").toString());
    cli.run("import", image.toString(), "app:1").ok();
    return cli;
  }

  private static Path dockerConfig(Cli cli) {
    return cli.store().resolveSibling("docker").resolve("config.json");
  }

  private static void assertOneError(Cli.Result result, String... parts) {
    assertEquals(1, result.exit(), result.toString());
    long errors = result.err().lines().filter(l -> l.startsWith("Error: ")).count();
    assertEquals(1, errors, result.err());
    for (String part : parts) {
      assertTrue(result.err().contains(part), "\"" + part + "\" in: " + result.err());
    }
    assertFalse(result.err().matches("(?s).*(Exception|\\bjava\\.|\\$[A-Z]|\\tat ).*"), "no Java in: " + result.err());
  }

  @Test
  void anUnknownHostIsALookupFailureNotARefusedConnection() throws Exception {
    Cli cli = user();
    assertOneError(cli.run("catalog", "no-such-registry.invalid"),
        "cannot reach registry no-such-registry.invalid over HTTPS: lookup no-such-registry.invalid: no such host");
    Cli.Result insecure = cli.run("pull", "--insecure", "no-such-registry.invalid:5000/app:1");
    assertOneError(insecure, "lookup no-such-registry.invalid: no such host");
    assertFalse(insecure.err().contains("refused"), insecure.err());
  }

  @Test
  void aRegistryThatIsDownGetsItsAdviceOnce() throws Exception {
    Cli.Result down = user().run("push", "app:1", "127.0.0.1:1/app:1");
    assertOneError(down, "cannot reach registry 127.0.0.1:1", "connection refused");
    assertEquals(1, down.err().split("check the registry's name and port", -1).length - 1, down.err());
  }

  @Test
  void savedCredentialsTheRegistryRejectsAreNamedAsSuchWithTheWayOut() throws Exception {
    for (RegistryFixture registry : new RegistryFixture[] {htpasswd, token}) {
      Cli cli = user();
      String host = registry.registry();
      cli.stdin((RegistryFixture.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
      cli.run("login", "-u", RegistryFixture.USER, "--password-stdin", host).ok();
      // The password changed on the server side: the saved one is now wrong.
      String stale = Base64.getEncoder().encodeToString((RegistryFixture.USER + ":old-password").getBytes(StandardCharsets.UTF_8));
      Files.writeString(dockerConfig(cli), "{\"auths\":{\"" + host + "\":{\"auth\":\"" + stale + "\"}}}");
      Cli.Result push = cli.run("push", "app:1", host + "/alice/app:1");
      assertOneError(push, "saved credentials for " + host + " were rejected", "imgtool login " + host);
      assertFalse(push.err().contains("Log in first"), push.err());
      assertFalse(push.err().contains("old-password"), "no secret in any output");

      // docker login HOST without credentials reuses the saved ones; rejected ones, without a terminal to ask, fail.
      Cli.Result relogin = cli.run("login", host);
      assertEquals(2, relogin.exit(), relogin.toString());
      assertTrue(relogin.err().contains("saved credentials for " + host + " were rejected"), relogin.err());
      cli.stdin((RegistryFixture.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
      cli.run("login", "-u", RegistryFixture.USER, "--password-stdin", host).ok();
      Cli.Result reused = cli.run("login", host).ok();
      assertEquals("Login Succeeded", reused.line());
      assertTrue(reused.err().contains("Authenticating with existing credentials... [Username: alice]"), reused.err());
    }
  }

  @Test
  void aConfigJsonThatIsNotJsonIsAWarningAsInDocker() throws Exception {
    Cli cli = user();
    Files.createDirectories(dockerConfig(cli).getParent());
    Files.writeString(dockerConfig(cli), "{\"auths\": {oops");
    Cli.Result push = cli.run("push", "app:1", htpasswd.registry() + "/alice/app:1");
    assertEquals(1, push.exit(), push.toString());
    assertTrue(push.err().contains("WARNING: Error loading config file: " + dockerConfig(cli)), push.err());
    assertEquals(1, push.err().split("WARNING", -1).length - 1, "once: " + push.err());
    Cli.Result quiet = cli.run("-q", "push", "app:1", htpasswd.registry() + "/alice/app:1");
    assertTrue(quiet.err().contains("WARNING: Error loading config file"), "warnings survive -q: " + quiet.err());
  }

  @Test
  void aFullDiskNamesThePath() throws Exception {
    Cli cli = user();
    Cli.Result iid = cli.run("import", "--iidfile", "/dev/full", image.toString(), "again:1");
    assertEquals(1, iid.exit(), iid.toString());
    assertTrue(iid.err().endsWith("\nError: /dev/full: No space left on device\n"), iid.err());

    Judges.requireRoot();
    Path small = Files.createDirectory(dir.resolve("small"));
    Tools.run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString()).orFail();
    try {
      byte[] noise = new byte[1 << 20];
      new Random(1).nextBytes(noise);
      Path big = Tars.create().file("noise", noise).write(dir.resolve("noise.tar"));
      Cli full = new Cli(Files.createTempDirectory(dir, "full")).env("IMGTOOL_STORE", small.resolve("store").toString());
      Cli.Result result = full.run("import", "--compression", "none", big.toString(), "big:1");
      assertOneError(result, small.resolve("store").toString(), "No space left on device");
    } finally {
      Tools.run("umount", small.toString());
    }
  }
}
