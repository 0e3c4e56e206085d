package io.imgtool.cli;

import io.imgtool.name.ImageReference;
import io.imgtool.images.RegistryAccess;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code docker login}: checks the credentials against the registry, then saves them in Docker's
 * config.json (or its credential helper), so docker and imgtool share them.
 */
@Command(name = "login", description = "Log in to a registry; credentials are saved in Docker's config.json.")
final class LoginCommand implements Callable<Integer> {
  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name.")
  String username;

  @Option(names = {"-p", "--password"}, paramLabel = "PASS",
      description = "Password (insecure: it shows in the process list; prefer --password-stdin).")
  String password;

  @Option(names = "--password-stdin", description = "Read the password from stdin.")
  boolean passwordStdin;

  @Parameters(arity = "0..1", paramLabel = "SERVER", description = "Registry host[:port] (default: docker.io).")
  String server;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    String host = server == null ? ImageReference.DOCKER_HUB : ImageReference.parseRegistry(server);
    if (password != null && passwordStdin) {
      throw new UsageException("--password and --password-stdin are mutually exclusive");
    }
    if (password != null) {
      session.err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
    }
    Console console = System.console();
    if (username == null && password == null && !passwordStdin && savedLoginWorks(session, host, console)) {
      session.out().println("Login Succeeded");
      return 0;
    }
    String user = username != null ? username : prompt(console, "Username: ");
    String secret = password != null ? password : passwordStdin ? readStdin(session) : promptSecret(console);
    if (user.isBlank() || secret.isEmpty()) {
      throw new UsageException("a user name and a password are required to log in to " + host);
    }
    new RegistryAccess(session.workspace(registry.forRegistry(host))).login(host, user, secret);
    session.out().println("Login Succeeded");
    return 0;
  }

  /**
   * As docker login without credentials: the saved ones when the registry accepts them. When it
   * rejects them, a terminal is asked for new ones; without one, that is the error.
   */
  private boolean savedLoginWorks(Session session, String host, Console console) throws Exception {
    String[] user = {""};
    RegistryAccess.SavedLogin saved = new RegistryAccess(session.workspace(registry.forRegistry(host)))
        .reuseSavedLogin(host, name -> user[0] = name);
    switch (saved) {
      case ACCEPTED -> {
        session.err().println("Authenticating with existing credentials..." + (user[0].isEmpty() ? ""
            : " [Username: " + user[0] + "]"));
        return true;
      }
      case REJECTED -> {
        if (console == null) {
          throw new UsageException("the saved credentials for " + host + " were rejected; give new ones:"
              + " imgtool login -u USER --password-stdin " + host);
        }
        session.err().println("The saved credentials for " + host + " were rejected; enter new ones.");
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  private static String prompt(Console console, String label) {
    if (console == null) {
      throw new UsageException("no terminal to ask for the user name; give --username");
    }
    String line = console.readLine(label);
    return line == null ? "" : line.strip();
  }

  private static String promptSecret(Console console) {
    if (console == null) {
      throw new UsageException("no terminal to ask for the password; give --password-stdin");
    }
    char[] secret = console.readPassword("Password: ");
    return secret == null ? "" : new String(secret);
  }

  /** As docker login: the first line of stdin, without its line ending. */
  private static String readStdin(Session session) throws IOException {
    BufferedReader reader = new BufferedReader(
        new InputStreamReader(session.environment().stdin(), StandardCharsets.UTF_8));
    String line = reader.readLine();
    return line == null ? "" : line.replaceAll("[\r\n]+$", "");
  }
}
