package io.imgtool.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.image.Json;
import org.junit.jupiter.api.Test;

/** Each expected output is what {@code docker inspect -f} or {@code docker images --format} prints. */
class TemplateTest {
  private static final JsonNode IMAGE = json("""
      {"Id": "sha256:3f2a", "RepoTags": ["app:1", "registry.example.com/team/app:1"],
       "RepoDigests": ["registry.example.com/team/app@sha256:abcd"],
       "Created": "2024-01-02T03:04:05Z", "Size": 12345678, "Architecture": "amd64",
       "Config": {"Env": ["PATH=/usr/bin", "A=1"], "Cmd": ["vim"], "Labels": {"b": "2", "a": "x<y"},
                  "ExposedPorts": {"80/tcp": {}}, "Healthcheck": null, "WorkingDir": ""}}
      """);

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String run(String template, JsonNode data) {
    return Template.parse(template).execute(data);
  }

  private static String run(String template) {
    return run(template, IMAGE);
  }

  @Test
  void fieldsAndNestedFieldsPrintAsGoPrintsThem() {
    assertEquals("sha256:3f2a", run("{{.Id}}"));
    assertEquals("[PATH=/usr/bin A=1]", run("{{.Config.Env}}"));
    assertEquals("12345678", run("{{.Size}}"), "integers in full, never 1.2345678e+07");
    assertEquals("map[a:x<y b:2]", run("{{.Config.Labels}}"), "maps in key order");
    assertEquals("map[80/tcp:map[]]", run("{{.Config.ExposedPorts}}"));
    assertEquals("<nil>", run("{{.Config.Healthcheck}}"));
    assertEquals("<no value>", run("{{.Missing}}"));
    assertEquals("<no value>", run("{{.Missing.Deeper}}"));
    assertEquals("id=sha256:3f2a arch=amd64", run("id={{.Id}} arch={{.Architecture}}"));
  }

  @Test
  void jsonIsCompactAndKeepsHtmlCharacters() {
    assertEquals("{\"Env\":[\"PATH=/usr/bin\",\"A=1\"],\"Cmd\":[\"vim\"],\"Labels\":{\"a\":\"x<y\",\"b\":\"2\"},"
        + "\"ExposedPorts\":{\"80/tcp\":{}},\"Healthcheck\":null,\"WorkingDir\":\"\"}", run("{{json .Config}}"));
    assertEquals("[\"app:1\",\"registry.example.com/team/app:1\"]", run("{{json .RepoTags}}"));
    assertEquals("\"sha256:3f2a\"", run("{{json .Id}}"));
    assertEquals("null", run("{{json .Config.Healthcheck}}"));
    assertTrue(run("{{json .}}").startsWith("{\"Id\":\"sha256:3f2a\""));
  }

  @Test
  void indexRangeAndJoin() {
    assertEquals("registry.example.com/team/app@sha256:abcd", run("{{index .RepoDigests 0}}"));
    assertEquals("x<y", run("{{index .Config.Labels \"a\"}}"));
    assertEquals("", run("{{index .Config.Labels \"missing\"}}"), "a missing label is empty, as Docker's typed map gives");
    assertEquals("app:1,registry.example.com/team/app:1,", run("{{range .RepoTags}}{{.}},{{end}}"));
    assertEquals("0=app:1 1=registry.example.com/team/app:1 ", run("{{range $i, $t := .RepoTags}}{{$i}}={{$t}} {{end}}"));
    assertEquals("a=x<y;b=2;", run("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}"));
    assertEquals("app:1, registry.example.com/team/app:1", run("{{join .RepoTags \", \"}}"));
    assertEquals("none", run("{{range .Nothing}}x{{else}}none{{end}}"));
    TemplateException outOfRange = assertThrows(TemplateException.class, () -> run("{{index .RepoDigests 5}}"));
    assertEquals("template: :1: error calling index: index out of range: 5", outOfRange.getMessage());
    assertFalse(outOfRange.isParseError());
  }

  @Test
  void conditionalsWithElseIfAndComparisons() {
    assertEquals("tagged", run("{{if .RepoTags}}tagged{{else}}dangling{{end}}"));
    assertEquals("dangling", run("{{if .Nothing}}tagged{{else}}dangling{{end}}"));
    assertEquals("amd", run("{{if eq .Architecture \"arm64\"}}arm{{else if eq .Architecture \"amd64\"}}amd{{else}}?{{end}}"));
    assertEquals("big", run("{{if gt .Size 1000}}big{{end}}"));
    assertEquals("yes", run("{{if and .Id (not .Nothing)}}yes{{end}}"));
    assertEquals("sha256:3f2a", run("{{or .Nothing .Id}}"));
    assertEquals("true", run("{{eq .Architecture \"x\" \"amd64\"}}"));
    assertEquals("vim", run("{{with .Config}}{{index .Cmd 0}}{{end}}"));
    assertEquals("no workdir", run("{{with .Config.WorkingDir}}{{.}}{{else}}no workdir{{end}}"));
  }

  @Test
  void functionsDockerAdds() {
    assertEquals("SHA256:3F2A", run("{{upper .Id}}"));
    assertEquals("amd64", run("{{lower \"AMD64\"}}"));
    assertEquals("Hello World", run("{{title \"hello world\"}}"));
    assertEquals("[a b c]", run("{{split \"a:b:c\" \":\"}}"));
    assertEquals("  x ", run("{{pad \"x\" 2 1}}"));
    assertEquals("sha256", run("{{truncate .Id 6}}"));
    assertEquals("sha256:3f2a\n", run("{{println .Id}}"));
    assertEquals("\n", run("{{println}}"));
    assertEquals("2", run("{{len .RepoTags}}"));
    assertEquals("3f2a", run("{{slice .Id 7}}"));
    assertEquals("sha256:3f2a", run("{{.Id | printf \"%s\"}}"));
    assertEquals("[   amd64] 0042 \"q\" true 7b", run("{{printf \"[%8s] %04d %q %t %x\" .Architecture 42 \"q\" true 123}}"));
    assertEquals("a1 2b", run("{{print \"a\" 1 2 \"b\"}}"));
    assertEquals("x &lt;y&gt;", run("{{html \"x <y>\"}}"));
  }

  @Test
  void pipesVariablesTrimmingAndComments() {
    assertEquals("SHA256:3F2A", run("{{.Id | upper}}"));
    assertEquals("2", run("{{$tags := .RepoTags}}{{len $tags}}"));
    assertEquals("amd64", run("{{range .RepoTags}}{{$.Architecture}}{{break}}{{end}}"));
    assertEquals("a,b", run("{{range $i, $x := split \"a b\" \" \"}}{{if $i}},{{end}}{{$x}}{{end}}"));
    assertEquals("A=1;b", run("{{- range .Config.Env -}}\n  {{- if eq . \"PATH=/usr/bin\"}}{{continue}}{{end -}}\n  {{.}};\n{{- end}}b"));
    assertEquals("ab", run("a{{/* a comment */}}b"));
    assertEquals("x", run("{{- /* trimmed */ -}}  x"));
    assertEquals("x}}y", run("{{\"x}}y\"}}"));
    assertEquals("1.5 1e+21 0.0001 1e-05", run("{{.a}} {{.b}} {{.c}} {{.d}}", json("{\"a\":1.5,\"b\":1e21,\"c\":0.0001,\"d\":0.00001}")));
  }

  @Test
  void mistakesAreParseErrorsInGosWords() {
    assertParseError("{{.Id", "template parsing error: template: :1: unclosed action");
    assertParseError("{{foo .Id}}", "template parsing error: template: :1: function \"foo\" not defined");
    assertParseError("{{if .Id}}x", "template parsing error: template: :1: unexpected EOF: {{if}} has no {{end}}");
    assertParseError("x\n{{end}}", "template parsing error: template: :2: unexpected {{end}}");
    assertParseError("{{break}}", "template parsing error: template: :1: {{break}} outside {{range}}");
    TemplateException field = assertThrows(TemplateException.class, () -> run("{{.Id.Deeper}}"));
    assertEquals("template: :1: can't evaluate field Deeper in type string", field.getMessage());
    assertThrows(TemplateException.class, () -> run("{{.Id 1}}"));
  }

  private static void assertParseError(String template, String message) {
    TemplateException e = assertThrows(TemplateException.class, () -> Template.parse(template));
    assertEquals(message, e.getMessage());
    assertTrue(e.isParseError());
  }
}
