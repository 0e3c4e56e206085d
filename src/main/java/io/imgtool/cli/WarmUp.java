package io.imgtool.cli;

import io.imgtool.image.Digest;
import io.imgtool.image.Json;
import java.util.Set;

/**
 * Initialises, on a second core, what the commands that read or write images need and is slow to
 * set up: the JSON mapper (whose static set-up builds date formats, time zones and locale data)
 * and the SHA-256 provider. The main thread meanwhile builds the command line; whichever thread
 * needs a class first waits for its initialisation, so this only ever moves work, never repeats
 * it. Commands that use neither are not given the thread: it would only cost them CPU.
 */
final class WarmUp implements Runnable {
  /** Commands that read no image: help, shell completion, credentials, registry listings. */
  private static final Set<String> WITHOUT_IMAGES = Set.of("completion", "version", "login", "logout", "catalog", "tags");

  WarmUp() {}

  static void start(String[] args) {
    if (!needed(args)) {
      return;
    }
    // An object, not WarmUp::run: this is the process's first lambda, which would set up the
    // method-handle machinery (uncached LambdaForms) before anything else runs.
    Thread thread = new Thread(new WarmUp(), "imgtool-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Whether {@code args} runs a command that reads or writes images. A guess from the words alone
   * (a root option's value may look like a command); a wrong guess costs time, never a result.
   */
  static boolean needed(String[] args) {
    boolean command = false;
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help") || WITHOUT_IMAGES.contains(arg)) {
        return false;
      }
      command |= Subcommands.ALL.containsKey(arg) || Subcommands.IMAGE_COMMANDS.containsKey(arg) || isImageAlias(arg);
    }
    return command;
  }

  private static boolean isImageAlias(String arg) {
    for (String[] aliases : Subcommands.IMAGE_ALIASES.values()) {
      for (String alias : aliases) {
        if (alias.equals(arg)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void run() {
    Json.object();
    Digest.newSha256();
  }
}
