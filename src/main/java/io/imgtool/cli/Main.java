package io.imgtool.cli;

/** Placeholder entry point; the real command line lands with the CLI commit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(0);
  }
}
