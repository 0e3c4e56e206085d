package io.imgtool.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, with the Java runtime, as {@code docker --version} style. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return lines();
  }

  static String[] lines() {
    return new String[] {
        "imgtool version " + version(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  /**
   * Whether {@code args} asks for the version alone ({@code --version}, {@code -V}, Docker's
   * {@code -v}), which {@link Main} answers without building the command line. Anything more
   * (other options, a command) goes through picocli, which checks and orders it.
   */
  static boolean isVersionRequest(String[] args) {
    return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V") || args[0].equals("-v"));
  }

  /** The jar's Implementation-Version, or "dev" when run from classes. */
  static String version() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }
}
