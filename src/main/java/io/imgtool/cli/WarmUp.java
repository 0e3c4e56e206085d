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

  /**
   * Commands that hash blobs. For them the SHA-256 provider is set up too: with OpenSSL's that
   * is JNA and libcrypto, ~140 classes and a native library, which a listing command would only
   * pay for (`images` took 0.37 -> 0.47 s with it).
   */
  private static final Set<String> HASHING = Set.of("import", "commit", "pull", "push", "unpack", "diff", "save",
      "load", "copy", "check", "fsck");

  private final boolean hashing;

  WarmUp(boolean hashing) {
    this.hashing = hashing;
  }

  static void start(String[] args) {
    if (!needed(args)) {
      return;
    }
    // An object, not WarmUp::run: this is the process's first lambda, which would set up the
    // method-handle machinery (uncached LambdaForms) before anything else runs.
    Thread thread = new Thread(new WarmUp(hashes(args)), "imgtool-warm-up");
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

  /** Whether {@code args} may run a command that hashes blobs; a guess from the words, as {@link #needed}. */
  static boolean hashes(String[] args) {
    for (String arg : args) {
      if (HASHING.contains(arg)) {
        return true;
      }
    }
    return false;
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
    Digest.sha256(new byte[0]); // the JDK's provider, which every digest of a small document uses
    if (hashing) {
      Digest.isSha256Native(); // loads OpenSSL's, if it is there, before the first large blob
    }
  }
}
