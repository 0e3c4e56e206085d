package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.cli.Cli;
import io.imgtool.image.Json;
import io.imgtool.testing.Tars;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Docker user's listing habits, unchanged: {@code images -q} and {@code history -q} print IDs
 * only, {@code --format} takes Go templates and {@code table}, {@code images --filter} takes
 * Docker's keys, {@code inspect -f}, and {@code inspect a missing} shows a and fails.
 */
class ListingIT {
  @TempDir Path home;
  Cli cli;
  String oldId;
  String appId;
  String dangling;

  /** old:1 (created at t=1000), app:1 = app:2 = team/app:1 (t=2000, labelled), a dangling image (t=3000). */
  @BeforeEach
  void setUp() throws Exception {
    cli = new Cli(home);
    Path a = Tars.create().file("a", "a").write(home.resolve("a.tar"));
    Path b = Tars.create().file("b", "b").write(home.resolve("b.tar"));
    Path c = Tars.create().file("c", "c").write(home.resolve("c.tar"));
    oldId = cli.run("import", "--timestamp", "1000", a.toString(), "old:1").ok().line();
    appId = cli.run("import", "--timestamp", "2000", "-c", "LABEL tier=web team=blue", b.toString(), "app:1").ok().line();
    cli.run("tag", "app:1", "app:2", "team/app:1").ok();
    dangling = cli.run("import", "--timestamp", "3000", c.toString(), "later:1").ok().line();
    cli.run("tag", "old:1", "later:1").ok(); // later's image loses its name: <none> <none>
  }

  @Test
  void quietListsPrintIdsOnlyOncePerImage() {
    List<String> ids = cli.run("images", "-q").ok().out().lines().toList();
    assertEquals(List.of(dangling.substring(7, 19), appId.substring(7, 19), oldId.substring(7, 19)), ids);
    assertEquals(List.of(dangling, appId, oldId), cli.run("-q", "images", "--no-trunc").ok().out().lines().toList());
    // docker rmi $(docker images -q): every ID is one argument rmi understands.
    String[] rmi = new String[ids.size() + 2];
    rmi[0] = "rmi";
    rmi[1] = "-f";
    for (int i = 0; i < ids.size(); i++) {
      rmi[i + 2] = ids.get(i);
    }
    cli.run(rmi).ok();
    assertEquals("", cli.run("images", "-q").ok().out());
  }

  @Test
  void historyQuietPrintsTheIdColumn() {
    String id = cli.run("commit", "-m", "m", "app:1", "app:3").ok().line();
    assertEquals(List.of(id.substring(7, 19), "<missing>"), cli.run("history", "-q", "app:3").ok().out().lines().toList());
    String rows = cli.run("history", "--format", "{{.ID}}|{{.Comment}}", "app:3").ok().out();
    assertEquals(id.substring(7, 19) + "|m\n<missing>|Imported from b.tar\n", rows);
  }

  @Test
  void goTemplatesAndTablesAsDockerImagesFormatsThem() throws Exception {
    String names = cli.run("images", "--format", "{{.Repository}}:{{.Tag}}").ok().out();
    assertEquals(List.of("<none>:<none>", "app:1", "app:2", "team/app:1", "old:1", "later:1"), names.lines().toList());
    String table = cli.run("images", "--format", "table {{.Repository}}\\t{{.Tag}}", "app").ok().out();
    assertEquals("REPOSITORY   TAG\napp          1\napp          2\n", table);
    for (String line : cli.run("images", "--format", "json").ok().out().lines().toList()) {
      JsonNode row = Json.MAPPER.readTree(line);
      for (String field : List.of("ID", "Repository", "Tag", "Digest", "CreatedSince", "CreatedAt", "Size")) {
        assertTrue(row.has(field), field + " in " + line);
      }
    }
    String createdAt = cli.run("images", "--format", "{{.CreatedAt}}", "old").ok().line();
    assertTrue(createdAt.matches("19(69-12-31|70-01-01) \\d\\d:\\d\\d:40 [+-]\\d{4} \\S+"), "Go's time format: " + createdAt);
    Cli.Result bad = cli.run("images", "--format", "{{.Repository");
    assertEquals(2, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("template parsing error: template: :1: unclosed action"), bad.err());
  }

  @Test
  void filtersFollowDockersRules() {
    assertEquals(List.of(dangling.substring(7, 19)), ids("--filter", "dangling=true"));
    assertFalse(ids("--filter", "dangling=false").contains(dangling.substring(7, 19)));
    assertEquals(List.of("app:1", "app:2"), names("--filter", "reference=app:*"));
    assertEquals(List.of("app:1", "app:2", "old:1"), names("-f", "reference=app:*", "-f", "reference=old"),
        "several references are alternatives");
    assertEquals(List.of("team/app:1"), names("--filter", "reference=*/*"));
    assertEquals(List.of("app:1", "app:2", "team/app:1"), names("--filter", "label=tier"));
    assertEquals(List.of(), names("--filter", "label=tier=web", "--filter", "label=team=red"), "labels must all match");
    assertEquals(List.of("app:1", "app:2", "team/app:1"), names("--filter", "label=tier=web", "--filter", "label=team=blue"));
    assertEquals(List.of("old:1", "later:1"), names("--filter", "before=app:1"));
    assertEquals(List.of("<none>:<none>"), names("--filter", "since=team/app:1"));
    assertEquals(List.of("app:1"), names("--filter", "label=tier", "app:1"), "keys and the argument all apply");
    assertEquals(List.of("app:1", "app:2", "team/app:1"), names("-a", "--filter", "label=tier"), "-a changes nothing");

    Cli.Result unknown = cli.run("images", "--filter", "colour=red");
    assertEquals(2, unknown.exit(), unknown.toString());
    assertTrue(unknown.err().contains("invalid filter 'colour'"), unknown.err());
    Cli.Result malformed = cli.run("images", "--filter", "dangling");
    assertEquals(2, malformed.exit(), malformed.toString());
    assertTrue(malformed.err().contains("expected name=value"), malformed.err());
  }

  @Test
  void inspectTakesTemplatesAndReportsTheMissingAfterTheFound() throws Exception {
    assertEquals(appId, cli.run("inspect", "-f", "{{.Id}}", "app:1").ok().line());
    assertEquals("{\"Labels\":{\"team\":\"blue\",\"tier\":\"web\"}}", cli.run("inspect", "--format",
        "{{json .Config}}", "app:1").ok().line());
    assertEquals("app:1 app:2 team/app:1 ", cli.run("inspect", "-f", "{{range .RepoTags}}{{.}} {{end}}", "app:2").ok().line()
        + " ");
    assertEquals("web", cli.run("inspect", "-f", "{{index .Config.Labels \"tier\"}}", "app:1").ok().line());

    Cli.Result partly = cli.run("inspect", "app:1", "missing");
    assertEquals(1, partly.exit(), partly.toString());
    JsonNode shown = Json.MAPPER.readTree(partly.out());
    assertEquals(1, shown.size());
    assertEquals(appId, shown.get(0).get("Id").asText());
    assertEquals("Error: No such image: missing\n", partly.err());

    Cli.Result none = cli.run("inspect", "gone", "missing");
    assertEquals(1, none.exit());
    assertEquals("[]\n", none.out(), "as docker inspect");
    assertEquals("Error: No such image: gone\nError: No such image: missing\n", none.err());

    Cli.Result noDigest = cli.run("inspect", "-f", "{{index .RepoDigests 0}}", "app:1");
    assertEquals(1, noDigest.exit(), "as Docker: no RepoDigests before a push or pull");
    assertTrue(noDigest.err().contains("index out of range: 0"), noDigest.err());
  }

  @Test
  void tagGivesSeveralNamesAtOnce() {
    cli.run("tag", "old:1", "x:1", "y:1", "registry.example.com/z:1").ok();
    assertEquals(List.of("old:1", "later:1", "x:1", "y:1", "registry.example.com/z:1"), names("--filter", "before=app:1"));
  }

  private List<String> ids(String... args) {
    return cli.run(concat(new String[] {"images", "-q"}, args)).ok().out().lines().toList();
  }

  private List<String> names(String... args) {
    return cli.run(concat(new String[] {"images", "--format", "{{.Repository}}:{{.Tag}}"}, args)).ok().out()
        .lines().toList();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
