package io.imgtool.cli;

import picocli.CommandLine.Option;

/** --insecure, for the commands that talk to a registry. */
final class RegistryOptions {
  @Option(names = "--insecure",
      description = "Allow this command's registry to use HTTPS without certificate checks, or plain HTTP.")
  boolean insecure;
}
