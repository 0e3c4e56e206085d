package io.imgtool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.cli.template.Template;
import io.imgtool.cli.template.TemplateException;
import io.imgtool.image.Json;
import io.imgtool.image.Platform;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code docker version}'s client part: version, Java runtime, OS/Arch; {@code -f} as Docker's. */
@Command(name = "version", description = "Show the imgtool version, its Java runtime and platform, like docker version.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
      description = "json, or a Go template such as '{{.Client.Version}}'.")
  String format;

  @Override
  public Integer call() {
    ObjectNode client = Json.object();
    Platform platform = Platform.host();
    client.put("Version", VersionProvider.version());
    client.put("JavaVersion", System.getProperty("java.version"));
    client.put("JavaVendor", System.getProperty("java.vendor"));
    client.put("Os", platform.os());
    client.put("Arch", platform.architecture() + (platform.variant() == null ? "" : "/" + platform.variant()));
    ObjectNode data = Json.object();
    data.set("Client", client);
    if (format != null) {
      spec.commandLine().getOut().println(format.equals("json") ? data.toString() : template().execute(data));
      return 0;
    }
    spec.commandLine().getOut().print(String.format("Client:%n"
        + " Version:           %s%n"
        + " Java version:      %s (%s)%n"
        + " OS/Arch:           %s/%s%n", client.get("Version").asText(), client.get("JavaVersion").asText(),
        client.get("JavaVendor").asText(), client.get("Os").asText(), client.get("Arch").asText()));
    return 0;
  }

  private Template template() {
    try {
      return Template.parse(format);
    } catch (TemplateException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
