package io.imgtool.cli;

import io.imgtool.images.RegistryAccess;
import io.imgtool.name.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code docker manifest inspect NAME}: the manifest or index the registry serves for NAME,
 * its bytes indented with tabs as Docker prints them (fields and values as the registry wrote them).
 */
@Command(name = "inspect", description = "Show the manifest or index a registry holds for NAME, as docker manifest inspect.")
final class ManifestInspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Parameters(paramLabel = "NAME", description = "A registry image, e.g. 192.168.111.162:5000/repo:1.2 or repo@sha256:...")
  String name;

  @Override
  public Integer call() throws Exception {
    Session session = new Session(null, spec);
    ImageReference reference = ImageReference.parse(name);
    byte[] raw = new RegistryAccess(session.workspace(registry.forImage(name))).manifest(reference);
    session.out().println(JsonIndent.tabs(raw));
    return 0;
  }
}
