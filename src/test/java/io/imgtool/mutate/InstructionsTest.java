package io.imgtool.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each row: the container defaults of a base image, the {@code -c} changes, and the container
 * defaults Docker would produce. JSON is written with backticks for double quotes.
 */
class InstructionsTest {
  private static final String BASE = "{`Env`:[`PATH=/usr/bin`,`HOME=/root`],`Cmd`:[`bash`]}";

  static Stream<Arguments> changes() {
    return Stream.of(
        row("ENV with several pairs and quoting", BASE, List.of("ENV A=\"x y\" B=z\\ w C='$HOME'"),
            "{`Env`:[`PATH=/usr/bin`,`HOME=/root`,`A=x y`,`B=z w`,`C=$HOME`],`Cmd`:[`bash`]}"),
        row("legacy ENV KEY value with spaces", BASE, List.of("ENV GREETING hello big world"),
            "{`Env`:[`PATH=/usr/bin`,`HOME=/root`,`GREETING=hello big world`],`Cmd`:[`bash`]}"),
        row("ENV updates an existing key in place", BASE, List.of("ENV PATH=/opt/bin:$PATH"),
            "{`Env`:[`PATH=/opt/bin:/usr/bin`,`HOME=/root`],`Cmd`:[`bash`]}"),
        row("one ENV sees the values from before it (Docker's abc/def example)",
            "{`Env`:[`abc=hello`]}", List.of("ENV abc=bye def=$abc", "ENV ghi=$abc"),
            "{`Env`:[`abc=bye`,`def=hello`,`ghi=bye`]}"),
        row("substitution forms", "{`Env`:[`E=`,`S=set`]}",
            List.of("ENV A=${MISSING:-dflt} B=${S:+alt} C=${E:-empty} D=${E-unset} F=\\$S G=${S}x"),
            "{`Env`:[`E=`,`S=set`,`A=dflt`,`B=alt`,`C=empty`,`D=`,`F=$S`,`G=setx`]}"),
        row("LABEL with quoted keys, values and substitution", "{`Env`:[`V=1.0`]}",
            List.of("LABEL \"com.example.vendor\"=\"ACME Inc\" version=$V description=\"a b\""),
            "{`Env`:[`V=1.0`],`Labels`:{`com.example.vendor`:`ACME Inc`,`version`:`1.0`,`description`:`a b`}}"),
        row("legacy LABEL key value, merged into existing labels", "{`Labels`:{`a`:`1`}}",
            List.of("LABEL maintainer Jane Doe <jane@example.com>"),
            "{`Labels`:{`a`:`1`,`maintainer`:`Jane Doe <jane@example.com>`}}"),
        row("EXPOSE ports and protocols", "{}", List.of("EXPOSE 80 443/tcp 53/udp 132/SCTP"),
            "{`ExposedPorts`:{`80/tcp`:{},`443/tcp`:{},`53/udp`:{},`132/sctp`:{}}}"),
        row("EXPOSE ranges expand, host parts are ignored", "{`ExposedPorts`:{`22/tcp`:{}}}",
            List.of("EXPOSE 8000-8002/udp 127.0.0.1:8080:9090"),
            "{`ExposedPorts`:{`22/tcp`:{},`8000/udp`:{},`8001/udp`:{},`8002/udp`:{},`9090/tcp`:{}}}"),
        row("EXPOSE $VAR splits into several ports", "{`Env`:[`PORTS=80 443`]}", List.of("EXPOSE $PORTS"),
            "{`Env`:[`PORTS=80 443`],`ExposedPorts`:{`80/tcp`:{},`443/tcp`:{}}}"),
        row("VOLUME in JSON form", "{`Volumes`:{`/old`:{}}}", List.of("VOLUME [\"/data\", \"/var/log app\"]"),
            "{`Volumes`:{`/old`:{},`/data`:{},`/var/log app`:{}}}"),
        row("VOLUME as a space list with substitution", "{`Env`:[`D=/srv`]}", List.of("VOLUME /data $D/cache"),
            "{`Env`:[`D=/srv`],`Volumes`:{`/data`:{},`/srv/cache`:{}}}"),
        row("WORKDIR relative to the previous one, cleaned", "{`WorkingDir`:`/srv`}",
            List.of("WORKDIR app", "WORKDIR b", "WORKDIR c/../d/./"),
            "{`WorkingDir`:`/srv/app/b/d`}"),
        row("WORKDIR absolute with substitution", BASE, List.of("WORKDIR $HOME//work/"),
            "{`Env`:[`PATH=/usr/bin`,`HOME=/root`],`Cmd`:[`bash`],`WorkingDir`:`/root/work`}"),
        row("ENTRYPOINT clears an inherited CMD", "{`Cmd`:[`bash`],`ArgsEscaped`:true}",
            List.of("ENTRYPOINT [\"/entrypoint.sh\"]"),
            "{`Entrypoint`:[`/entrypoint.sh`]}"),
        row("CMD then ENTRYPOINT keeps the new CMD", "{`Cmd`:[`bash`]}",
            List.of("CMD [\"serve\"]", "ENTRYPOINT [\"/app\"]"),
            "{`Cmd`:[`serve`],`Entrypoint`:[`/app`]}"),
        row("ENTRYPOINT then CMD keeps both", "{`Cmd`:[`bash`]}",
            List.of("ENTRYPOINT [\"/app\"]", "CMD [\"serve\"]"),
            "{`Entrypoint`:[`/app`],`Cmd`:[`serve`]}"),
        row("shell form runs /bin/sh -c, without substitution", BASE, List.of("CMD echo $HOME"),
            "{`Env`:[`PATH=/usr/bin`,`HOME=/root`],`Cmd`:[`/bin/sh`,`-c`,`echo $HOME`]}"),
        row("shell form uses the image's SHELL", "{`Shell`:[`/bin/bash`,`-o`,`pipefail`,`-c`]}",
            List.of("ENTRYPOINT nginx -g 'daemon off;'"),
            "{`Shell`:[`/bin/bash`,`-o`,`pipefail`,`-c`],`Entrypoint`:[`/bin/bash`,`-o`,`pipefail`,`-c`,`nginx -g 'daemon off;'`]}"),
        row("text that only looks like JSON is the shell form", "{}", List.of("CMD [ -f /ready ] && serve"),
            "{`Cmd`:[`/bin/sh`,`-c`,`[ -f /ready ] && serve`]}"),
        row("CMD [] clears the command", "{`Cmd`:[`bash`]}", List.of("CMD []"), "{}"),
        row("keywords are case-insensitive", "{}", List.of("cmd [\"a\"]", "Entrypoint [\"b\"]"),
            "{`Cmd`:[`a`],`Entrypoint`:[`b`]}"),
        row("USER and STOPSIGNAL with substitution", "{`Env`:[`SIG=SIGQUIT`]}",
            List.of("USER ${APP_USER:-app}:${APP_GROUP:-app}", "STOPSIGNAL $SIG"),
            "{`Env`:[`SIG=SIGQUIT`],`User`:`app:app`,`StopSignal`:`SIGQUIT`}"),
        row("STOPSIGNAL by number", "{}", List.of("STOPSIGNAL 9"), "{`StopSignal`:`9`}"),
        row("ONBUILD keeps the trigger as written and appends", "{`OnBuild`:[`RUN a`]}",
            List.of("ONBUILD RUN make /app", "onbuild copy . /src"),
            "{`OnBuild`:[`RUN a`,`RUN make /app`,`copy . /src`]}"),
        row("HEALTHCHECK with options, durations in nanoseconds", "{}",
            List.of("HEALTHCHECK --interval=5m --timeout=1.5s --retries=3 CMD curl -f http://localhost/ || exit 1"),
            "{`Healthcheck`:{`Test`:[`CMD-SHELL`,`curl -f http://localhost/ || exit 1`],"
                + "`Interval`:300000000000,`Timeout`:1500000000,`Retries`:3}}"),
        row("HEALTHCHECK exec form and NONE", "{}",
            List.of("HEALTHCHECK CMD [\"/healthy\"]", "HEALTHCHECK NONE"),
            "{`Healthcheck`:{`Test`:[`NONE`]}}"),
        row("a change may continue over lines; blanks and comments are ignored", "{}",
            List.of("", "# a comment", "ENV A=1 \\", "    B=2"),
            "{`Env`:[`A=1`,`B=2`]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void appliesChangesAsDockerDoes(String name, String base, List<String> changes, String expected) {
    ObjectNode result = Instructions.parse(changes).applyTo(json(base), "linux").containerConfig();
    assertEquals(json(expected), reparse(result));
  }

  @Test
  void windowsShellFormIsOnePreEscapedString() {
    ObjectNode result = Instructions.parse(List.of("CMD dir C:\\Windows")).applyTo(json("{}"), "windows").containerConfig();
    assertEquals(json("{`Cmd`:[`cmd /S /C dir C:\\\\Windows`],`ArgsEscaped`:true}"), reparse(result));
  }

  @Test
  void historyTextIsNormalisedDockerfileSyntax() {
    List<String> createdBy = Instructions.parse(List.of(
            "cmd nginx -g 'daemon off;'", "ENV A=\"x y\" B=1", "expose 80 53/udp", "volume /data",
            "WORKDIR /app", "HEALTHCHECK --interval=30s CMD [\"/ok\"]"))
        .applyTo(json("{}"), "linux").createdBy();
    assertEquals(List.of(
        "CMD [\"/bin/sh\",\"-c\",\"nginx -g 'daemon off;'\"]",
        "ENV A=\"x y\" B=1",
        "EXPOSE 53/udp 80",
        "VOLUME [\"/data\"]",
        "WORKDIR /app",
        "HEALTHCHECK --interval=30s CMD [\"/ok\"]"), createdBy);
  }

  @Test
  void leavesTheCallersConfigUntouched() {
    ObjectNode base = json(BASE);
    Instructions.parse(List.of("ENV A=1", "ENTRYPOINT [\"x\"]")).applyTo(base, "linux");
    assertEquals(json(BASE), base);
  }

  static Stream<Arguments> badChanges() {
    return Stream.of(
        Arguments.of("RUN apt-get update", "RUN is not a valid change command"),
        Arguments.of("copy a /b", "COPY is not a valid change command"),
        Arguments.of("FROM ubuntu", "FROM is not a valid change command"),
        Arguments.of("SHELL [\"/bin/bash\", \"-c\"]", "SHELL is not a valid change command"),
        Arguments.of("ARG X=1", "ARG is not a valid change command"),
        Arguments.of("MAINTAINER me", "MAINTAINER is not a valid change command"),
        Arguments.of("CDM [\"x\"]", "CDM is not a valid change command"),
        Arguments.of("CMD [\"a\", 1]", "arrays must be comprised of strings only"),
        Arguments.of("CMD", "CMD needs a command"),
        Arguments.of("CMD --help", "unknown flag: --help"),
        Arguments.of("EXPOSE abc", "invalid containerPort: abc"),
        Arguments.of("EXPOSE 80/xyz", "invalid proto: xyz"),
        Arguments.of("EXPOSE 9000-8000", "invalid containerPort: 9000-8000"),
        Arguments.of("EXPOSE 70000", "invalid containerPort: 70000"),
        Arguments.of("EXPOSE", "EXPOSE requires at least one argument"),
        Arguments.of("ENV", "ENV requires at least one argument"),
        Arguments.of("ENV ONLYKEY", "ENV must have two arguments"),
        Arguments.of("ENV A=1 B", "can't find = in \"B\""),
        Arguments.of("ENV =x", "ENV names can not be blank"),
        Arguments.of("ENV A=\"open", "looking for matching double-quote"),
        Arguments.of("ENV A=${B", "missing '}'"),
        Arguments.of("ENV A=${B:x}", "unsupported modifier (:x) in substitution"),
        Arguments.of("ENV A=\"${NOPE:?must be set}\"", "NOPE: must be set"),
        Arguments.of("ENV A=${NOPE:?must be set}", "can't find = in \"be\""),
        Arguments.of("LABEL", "LABEL requires at least one argument"),
        Arguments.of("USER", "USER requires exactly one argument"),
        Arguments.of("WORKDIR", "WORKDIR requires exactly one argument"),
        Arguments.of("WORKDIR $NOTHING", "WORKDIR is empty"),
        Arguments.of("VOLUME", "VOLUME requires at least one argument"),
        Arguments.of("VOLUME [\"/ok\", \" \"]", "VOLUME specified can not be an empty string"),
        Arguments.of("STOPSIGNAL SIGFOO", "Invalid signal: SIGFOO"),
        Arguments.of("STOPSIGNAL 0", "Invalid signal: 0"),
        Arguments.of("ONBUILD", "ONBUILD requires at least one argument"),
        Arguments.of("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        Arguments.of("ONBUILD from base", "FROM isn't allowed as an ONBUILD trigger"),
        Arguments.of("HEALTHCHECK", "HEALTHCHECK requires at least one argument"),
        Arguments.of("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"),
        Arguments.of("HEALTHCHECK PING x", "Unknown type \"PING\" in HEALTHCHECK (try CMD)"),
        Arguments.of("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments"),
        Arguments.of("HEALTHCHECK --interval=soon CMD x", "invalid duration \"soon\""),
        Arguments.of("HEALTHCHECK --interval=10 CMD x", "missing unit in duration"),
        Arguments.of("HEALTHCHECK --timeout=10us CMD x", "cannot be less than 1ms"),
        Arguments.of("HEALTHCHECK --retries=-1 CMD x", "--retries cannot be negative (-1)"),
        Arguments.of("HEALTHCHECK --every=1s CMD x", "unknown flag: --every"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badChanges")
  void refusesBadChangesNamingTheInstructionAndWhy(String change, String why) {
    InvalidInstructionException e = assertThrows(InvalidInstructionException.class,
        () -> Instructions.parse(List.of(change)).applyTo(json(BASE), "linux"));
    assertTrue(e.getMessage().startsWith("invalid change \"" + change + "\": "), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertEquals(change, e.instruction());
  }

  @Test
  void unsupportedInstructionMessageListsWhatCommitAccepts() {
    InvalidInstructionException e = assertThrows(InvalidInstructionException.class,
        () -> Instructions.parse(List.of("USER app", "RUN make")));
    assertTrue(e.getMessage().contains("accept only CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, "
        + "ONBUILD, STOPSIGNAL, USER, VOLUME and WORKDIR"), e.getMessage());
  }

  private static Arguments row(String name, String base, List<String> changes, String expected) {
    return Arguments.of(name, base, changes, expected);
  }

  static ObjectNode json(String backticked) {
    return Json.parseObject(backticked.replace('`', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8), "test");
  }

  /** Through bytes, so numbers compare by value whatever node type made them. */
  static JsonNode reparse(JsonNode node) {
    return Json.parseObject(Json.bytes(node), "result");
  }
}
