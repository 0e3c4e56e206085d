package io.imgtool.cli;

import picocli.CommandLine.Command;

/** {@code docker manifest}: what a registry holds for a name, as the registry holds it. */
@Command(name = "manifest", description = "Inspect the manifests a registry holds.",
    subcommands = ManifestInspectCommand.class)
final class ManifestCommand {
}
