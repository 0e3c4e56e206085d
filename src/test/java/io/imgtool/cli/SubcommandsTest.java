package io.imgtool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SubcommandsTest {
  private static Optional<Class<?>> invoked(String... args) {
    CommandLine root = new CommandLine(new ImgtoolCommand(new Environment(Map.of(), new ByteArrayInputStream(new byte[0]))));
    return Subcommands.invoked(root.getCommandSpec(), args);
  }

  @Test
  void theFirstArgumentThatIsNotARootOptionNamesTheCommand() {
    assertEquals(Optional.of(PushCommand.class), invoked("push", "a", "b"));
    assertEquals(Optional.of(PushCommand.class), invoked("-q", "--debug", "push", "a"));
    assertEquals(Optional.of(ImagesCommand.class), invoked("--store", "/s", "--config", "c.json", "images"));
    assertEquals(Optional.of(ImagesCommand.class), invoked("--store=/s", "--progress", "plain", "images"));
    // A root option's value that happens to be a command's name is a value.
    assertEquals(Optional.of(TagCommand.class), invoked("--store", "push", "tag", "a", "b"));
  }

  @Test
  void anythingUncertainRegistersEveryCommand() {
    assertEquals(Optional.empty(), invoked());
    assertEquals(Optional.empty(), invoked("--help"));
    assertEquals(Optional.empty(), invoked("-h", "push"));  // the root's help, listing every command
    assertEquals(Optional.empty(), invoked("-qV"));          // a cluster: picocli decides
    assertEquals(Optional.empty(), invoked("@args.txt"));    // an argument file
    assertEquals(Optional.empty(), invoked("--", "push"));
    assertEquals(Optional.empty(), invoked("psuh", "a"));    // a typo: the usage error lists them all
    assertEquals(Optional.empty(), invoked("--no-such-option", "push"));
  }

  @Test
  void theVersionFastPathAnswersExactlyWhatPicocliWould(@TempDir Path home) {
    for (String option : List.of("--version", "-V", "-v")) {
      assertTrue(VersionProvider.isVersionRequest(new String[] {option}), option);
      Cli.Result viaPicocli = new Cli(home).run(option);
      assertEquals(0, viaPicocli.exit());
      assertEquals(String.join(System.lineSeparator(), VersionProvider.lines()) + System.lineSeparator(), viaPicocli.out());
    }
    // Anything more goes through picocli, which checks it: an unknown option, a command, a cluster.
    assertTrue(!VersionProvider.isVersionRequest(new String[] {"--version", "--no-such-option"}));
    assertTrue(!VersionProvider.isVersionRequest(new String[] {"-qV"}));
    assertTrue(!VersionProvider.isVersionRequest(new String[] {"version"}));
    assertTrue(!VersionProvider.isVersionRequest(new String[0]));
  }

  @Test
  void theWarmUpThreadRunsOnlyForCommandsThatReadOrWriteImages() {
    assertTrue(WarmUp.needed(new String[] {"images"}));
    assertTrue(WarmUp.needed(new String[] {"--store", "/s", "push", "a", "b"}));
    assertTrue(WarmUp.needed(new String[] {"image", "list"}));
    assertTrue(!WarmUp.needed(new String[0]));
    assertTrue(!WarmUp.needed(new String[] {"--help"}));
    assertTrue(!WarmUp.needed(new String[] {"push", "--help"}));
    assertTrue(!WarmUp.needed(new String[] {"completion", "bash"}));
    assertTrue(!WarmUp.needed(new String[] {"login", "-u", "me", "host"}));
    assertTrue(!WarmUp.needed(new String[] {"psuh", "a"}));
  }

  @Test
  void theNamesAreTheAnnotationsNames() {
    Subcommands.ALL.forEach((name, command) ->
        assertEquals(name, command.getAnnotation(CommandLine.Command.class).name()));
  }

  @Test
  void usageStillListsEveryCommand(@TempDir Path home) {
    Cli.Result help = new Cli(home).run("--help");
    for (String name : Subcommands.ALL.keySet()) {
      assertTrue(help.out().contains(name), name + " is missing from --help:\n" + help.out());
    }
    assertTrue(help.out().contains("image"), help.out());
    Cli.Result typo = new Cli(home).run("psuh", "x");
    assertEquals(2, typo.exit());
    assertTrue(typo.err().contains("'psuh'"), typo.err());
  }

  @Test
  void anImageSubcommandRegistersTheImageGroupWithThatCommandAlone() {
    CommandLine line = commandLine("--debug", "image", "list", "-q");
    assertEquals(1, line.getSubcommands().size());
    CommandLine image = line.getSubcommands().get("image");
    assertEquals(List.of("ls"), List.copyOf(new java.util.LinkedHashSet<>(image.getSubcommands().values().stream()
        .map(CommandLine::getCommandName).toList())));
    assertEquals(Subcommands.IMAGE_COMMANDS.size(), commandLine("image").getSubcommands().get("image")
        .getSubcommands().values().stream().distinct().count());
  }

  @Test
  void versionNeedsNoCommands() {
    assertEquals(0, commandLine("--version").getSubcommands().size());
    assertEquals(0, commandLine("-v").getSubcommands().size());
    assertEquals(0, commandLine("-V").getSubcommands().size());
  }

  private static CommandLine commandLine(String... args) {
    StringWriter sink = new StringWriter();
    return Main.newCommandLine(new PrintWriter(sink), new PrintWriter(sink), Map.of(),
        new ByteArrayInputStream(new byte[0]), args);
  }

  @Test
  void globalOptionsStillWorkAfterTheCommandName(@TempDir Path home) {
    Path store = home.resolve("elsewhere");
    Cli.Result images = new Cli(home).run("images", "--store", store.toString(), "-q");
    assertEquals(0, images.exit(), images.toString());
    StringWriter sink = new StringWriter();
    CommandLine line = Main.newCommandLine(new PrintWriter(sink), new PrintWriter(sink), Map.of(),
        new ByteArrayInputStream(new byte[0]), "images");
    assertEquals(1, line.getSubcommands().size());
  }
}
