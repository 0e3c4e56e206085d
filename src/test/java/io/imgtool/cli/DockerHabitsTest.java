package io.imgtool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import io.imgtool.testing.Tools;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a Docker user types without a store to work on: version, -v, completion, Docker's
 * typo and argument-count messages, and the image group's aliases.
 */
class DockerHabitsTest {
  @TempDir Path home;

  private Cli.Result run(String... args) {
    return new Cli(home).run(args);
  }

  @Test
  void versionAsDockerVersionPrintsIt() throws Exception {
    String version = run("version").ok().out();
    assertTrue(version.startsWith("Client:\n Version:           "), version);
    assertTrue(version.contains("\n Java version:      " + System.getProperty("java.version")), version);
    assertTrue(version.matches("(?s).*\n OS/Arch:           linux/[a-z0-9]+(/v\\d)?\n"), version);
    JsonNode json = Json.MAPPER.readTree(run("version", "--format", "json").ok().out());
    assertEquals("linux", json.at("/Client/Os").asText());
    assertEquals(json.at("/Client/Version").asText(), run("version", "-f", "{{.Client.Version}}").ok().line());
    assertEquals(run("--version").ok().out(), run("-v").ok().out(), "-v is Docker's --version");
    Cli.Result notHere = run("images", "-v");
    assertEquals(2, notHere.exit(), "-v belongs to imgtool itself, not to its commands: " + notHere);
  }

  @Test
  void typosGetDockersMessageAndTheClosestCommand() {
    Cli.Result typo = run("imags");
    assertEquals(2, typo.exit());
    assertEquals("imgtool: 'imags' is not an imgtool command.\nDid you mean: images?\n", typo.err());
    assertEquals("Did you mean: push?", run("psuh", "x").err().lines().skip(1).findFirst().orElse(""));
    assertEquals("imgtool: 'zzz' is not an imgtool command.\nSee 'imgtool --help'.\n", run("zzz").err());
    assertEquals("Error: unknown option: --digest\nDid you mean: --digests?\n", run("images", "--digest").err());
    assertEquals("imgtool image: 'lsit' is not an imgtool image command.\nDid you mean: list?\n",
        run("image", "lsit").err());
  }

  @Test
  void argumentCountsAreReportedInDockersWords() {
    assertUsage("Error: \"imgtool tag\" requires at least 2 arguments.\nSee 'imgtool tag --help'.\n", "tag", "a");
    assertUsage("Error: \"imgtool history\" requires exactly 1 argument.\nSee 'imgtool history --help'.\n",
        "history", "a", "b");
    assertUsage("Error: \"imgtool images\" accepts at most 1 argument.\nSee 'imgtool images --help'.\n",
        "images", "a", "b");
    assertUsage("Error: \"imgtool push\" requires at least 1 and at most 2 arguments.\nSee 'imgtool push --help'.\n",
        "push");
    assertUsage("Error: unknown option: -x\nSee 'imgtool tag --help'.\n", "tag", "base:1", "-x");
    assertUsage("Error: \"imgtool image rm\" requires at least 1 argument.\nSee 'imgtool image rm --help'.\n",
        "image", "rm");
  }

  private void assertUsage(String err, String... args) {
    Cli.Result result = run(args);
    assertEquals(2, result.exit(), result.toString());
    assertEquals(err, result.err());
    assertEquals("", result.out());
  }

  @Test
  void imageCommandsAreDockersAliases() {
    assertEquals(run("images").ok().out(), run("image", "ls").ok().out());
    assertEquals(run("images").ok().out(), run("image", "list").ok().out());
    Cli.Result missing = run("image", "inspect", "nosuch");
    assertEquals("Error: No such image: nosuch\n", missing.err());
    assertEquals(1, run("image", "rm", "nosuch").exit());
  }

  @Test
  void helpListsACommandsOwnOptionsFirstAndNeverBreaksAWord() {
    StringWriter sink = new StringWriter();
    CommandLine everything = Main.newCommandLine(new PrintWriter(sink), new PrintWriter(sink), Map.of(),
        new ByteArrayInputStream(new byte[0]));
    List<CommandLine> commands = new ArrayList<>(everything.getSubcommands().values());
    commands.addAll(everything.getSubcommands().get("image").getSubcommands().values());
    commands.addAll(everything.getSubcommands().get("manifest").getSubcommands().values());
    for (CommandLine command : commands) {
      List<String> words = new ArrayList<>(List.of(command.getCommandSpec().qualifiedName().split(" ")));
      words.add("--help");
      String help = run(words.subList(1, words.size()).toArray(String[]::new)).ok().out();
      Set<String> tokens = new java.util.HashSet<>(List.of(help.split("\\s+")));
      for (OptionSpec option : command.getCommandSpec().options()) {
        for (String word : String.join(" ", option.renderedDescription()).split(" +")) {
          assertTrue(tokens.contains(word), "\"" + word + "\" is whole in the help of " + words + ":\n" + help);
        }
        boolean global = option.inherited() || option.usageHelp() || option.versionHelp();
        int at = Math.max(help.indexOf(" " + option.longestName() + " "), help.indexOf(" " + option.longestName() + "\n"));
        int globalsAt = help.indexOf("\nGlobal options:\n");
        assertTrue(at > 0 && (global ? at > globalsAt : at < globalsAt),
            option.longestName() + (global ? " among the global options" : " before the global ones") + ":\n" + help);
      }
    }
    assertTrue(run("commit", "--help").out().contains("HEALTHCHECK"));
    assertTrue(run("images", "--help").out().contains("SIZE is what the store holds"));
    assertTrue(run("image", "rm", "--help").out().contains("Aliases:\n  imgtool image rm, imgtool image remove, imgtool rmi\n"));
  }

  @Test
  void completionCompletesCommandsSubcommandsAndOptionsInBash() throws Exception {
    Path script = home.resolve("imgtool.bash");
    Files.writeString(script, run("completion", "bash").ok().out());
    assertEquals(run("completion", "bash").out(), run("completion", "zsh").ok().out(),
        "one script serves both shells: it turns on bashcompinit in zsh");
    assertEquals("images image", complete(script, "imgtool ima"));
    assertEquals("ls list load", complete(script, "imgtool image l"));
    assertEquals("--digests", complete(script, "imgtool images --di"));
    assertEquals("plain", complete(script, "imgtool --progress pl"));
    assertEquals(2, run("completion", "fish").exit());
  }

  /** What bash offers after {@code line}, as the user's shell would call the completion function. */
  private static String complete(Path script, String line) throws Exception {
    String program = "source \"$0\" 2>/dev/null; read -ra COMP_WORDS <<< \"$1\"; COMP_CWORD=$((${#COMP_WORDS[@]}-1));"
        + " COMP_LINE=\"$1\"; COMP_POINT=${#1}; _complete_imgtool 2>/dev/null; echo \"${COMPREPLY[*]}\"";
    return Tools.run("bash", "-c", program, script.toString(), line).orFail().out().strip();
  }
}
