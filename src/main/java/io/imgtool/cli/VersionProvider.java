package io.imgtool.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, with the Java runtime, as {@code docker --version} style. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {
        "imgtool version " + (version != null ? version : "dev"),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
