package io.imgtool.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, with the Java runtime, as {@code docker --version} style. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
        "imgtool version " + version(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  /** The jar's Implementation-Version, or "dev" when run from classes. */
  static String version() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }
}
