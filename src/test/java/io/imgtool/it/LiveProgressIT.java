package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.cli.Cli;
import io.imgtool.image.Json;
import io.imgtool.registry.it.RegistryFixture;
import io.imgtool.testing.Judges;
import io.imgtool.testing.PausingRelay;
import io.imgtool.testing.Tars;
import io.imgtool.testing.TmuxPane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push and pull progress as a person sees it: the shaded jar runs in a tmux pane (a real
 * pseudo-terminal) with stdout captured in a file, as in {@code ID=$(imgtool push …)}, and the
 * pane is read back. On a terminal each layer has one line redrawn in place, under Docker's
 * header; in a log, plain lines without control codes; with -q, nothing.
 */
class LiveProgressIT {
  private static final int COLUMNS = 100;
  private static final int LAYER_BYTES = 6 << 20;

  @TempDir static Path dir;
  static RegistryFixture registry;
  static Cli cli;
  static List<String> layers;
  static String config;

  @BeforeAll
  static void seed() throws Exception {
    Judges.require("docker-registry", "tmux");
    registry = RegistryFixture.plain(dir.resolve("registry"));
    cli = new Cli(Files.createDirectory(dir.resolve("home")));
    Random random = new Random(42);
    byte[] a = new byte[LAYER_BYTES];
    byte[] b = new byte[LAYER_BYTES];
    random.nextBytes(a);
    random.nextBytes(b);
    Path base = Tars.create().file("a.bin", a).write(dir.resolve("a.tar"));
    Path top = Tars.create().file("b.bin", b).write(dir.resolve("b.tar"));
    cli.run("import", "--compression", "none", base.toString(), "live:1").ok();
    cli.run("commit", "--compression", "none", "--layer", top.toString(), "live:1", "live:1").ok();
    JsonNode image = Json.MAPPER.readTree(cli.run("inspect", "live:1").ok().out()).get(0);
    layers = new ArrayList<>();
    image.at("/Manifest/layers").forEach(layer -> layers.add(layer.get("digest").asText().substring(7, 19)));
    config = image.get("Id").asText().substring(7, 19);
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  /** The jar in the pane, on the test's store, with stdout in {@code out}; stderr stays on the terminal. */
  private static String imgtool(Path home, String args, Path out) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return "env HOME='" + home + "' IMGTOOL_STORE='" + home.resolve("store") + "' XDG_CACHE_HOME='" + home.resolve("cache")
        + "' '" + java + "' -jar '" + System.getProperty("imgtool.jar") + "' " + args + " > '" + out + "'";
  }

  @Test
  void pushRedrawsOneLinePerLayerInPlaceUnderDockersHeader() throws Exception {
    Path work = Files.createDirectory(dir.resolve("push"));
    try (PausingRelay relay = new PausingRelay(registry.port(), LAYER_BYTES / 2)) {
      String target = relay.address() + "/live:1";
      cli.run("tag", "live:1", target).ok();
      Path out = work.resolve("out.txt");
      try (TmuxPane pane = TmuxPane.run(work, COLUMNS, 40, imgtool(cli.store().getParent(), "push " + target, out))) {
        // Held halfway through the upload: the layers' lines show bars, in place.
        List<String> during = pane.await(screen -> screen.stream().anyMatch(line -> line.contains(": Pushing [")),
            "a progress bar");
        String bar = during.stream().filter(line -> line.contains(": Pushing [")).findFirst().orElseThrow();
        assertTrue(bar.matches("[0-9a-f]{12}: Pushing \\[=*> *\\] +[0-9.]+[kM]B/6.29MB.*"), bar);
        relay.release();
        assertEquals(0, pane.awaitExit(), String.join("\n", pane.screen()));
        List<String> screen = pane.screen();
        String shown = String.join("\n", screen);
        assertEquals("The push refers to repository [" + relay.address() + "/live]", screen.get(0), shown);
        assertEquals(layers.stream().map(layer -> layer + ": Pushed").sorted().toList(),
            screen.subList(1, 1 + layers.size()).stream().sorted().toList(), "one line per layer:\n" + shown);
        String digestLine = screen.get(1 + layers.size());
        assertTrue(digestLine.matches("1: digest: sha256:[0-9a-f]{64} size: \\d+"), shown);
        assertEquals(2 + layers.size(), screen.size(), "nothing else, nothing left over:\n" + shown);
        assertFalse(String.join("\n", screen).contains(config), "the config blob is not shown, as in Docker");
        assertEquals(relay.address() + "/live@" + digestLine.split(" ")[2] + "\n", Files.readString(out),
            "stdout, captured, holds only the result");
      }
    }
  }

  @Test
  void pullShowsDockersHeaderLayersDigestAndStatus() throws Exception {
    String target = registry.registry() + "/live:pull";
    cli.run("-q", "push", "live:1", target).ok();
    Path work = Files.createDirectory(dir.resolve("pull"));
    Path home = Files.createDirectory(work.resolve("home"));
    Path out = work.resolve("out.txt");
    try (TmuxPane pane = TmuxPane.run(work, COLUMNS, 40, imgtool(home, "pull " + target, out))) {
      assertEquals(0, pane.awaitExit(), String.join("\n", pane.screen()));
      List<String> screen = pane.screen();
      assertEquals("pull: Pulling from live", screen.get(0));
      assertEquals(layers.stream().map(l -> l + ": Pull complete").sorted().toList(),
          screen.subList(1, 1 + layers.size()).stream().sorted().toList(), String.join("\n", screen));
      assertTrue(screen.get(1 + layers.size()).matches("Digest: sha256:[0-9a-f]{64}"), String.join("\n", screen));
      assertEquals("Status: Downloaded newer image for " + target, screen.get(2 + layers.size()));
      assertEquals(3 + layers.size(), screen.size(), String.join("\n", screen));
    }
  }

  @Test
  void logsGetPlainLinesAndQuietGetsNothing() throws Exception {
    String target = registry.registry() + "/live:plain";
    Cli.Result plain = cli.run("--progress", "plain", "push", "live:1", target).ok();
    assertFalse(plain.err().contains("\033"), "no control codes in a log: " + plain.err());
    assertTrue(plain.err().startsWith("The push refers to repository [" + registry.registry() + "/live]\n"), plain.err());
    for (String layer : layers) {
      assertTrue(plain.err().contains(layer + ": "), plain.err());
    }
    assertTrue(plain.err().matches("(?s).*\nplain: digest: sha256:[0-9a-f]{64} size: \\d+\n"), plain.err());
    Cli.Result again = cli.run("push", "live:1", target).ok(); // not a terminal: plain as well
    for (String layer : layers) {
      assertTrue(again.err().contains(layer + ": Layer already exists\n"), again.err());
    }
    Cli.Result forced = cli.run("--progress", "tty", "push", "live:1", target).ok(); // no terminal, drawn anyway
    assertTrue(forced.err().startsWith("\033[2KThe push refers to repository ["), forced.err());
    assertTrue(forced.err().contains("\033[") && forced.err().contains("A\r"), "redrawn in place: " + forced.err());
    assertEquals("", cli.run("-q", "push", "live:1", target).ok().err());
    assertEquals("", cli.run("--progress", "none", "push", "live:1", target).ok().err());
  }
}
