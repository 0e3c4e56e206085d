package io.imgtool.cli;

import io.imgtool.image.Digest;
import io.imgtool.image.Json;

/**
 * Initialises, on a second core, what nearly every command needs and is slow to set up: the JSON
 * mapper (whose static set-up builds date formats and time zones) and the SHA-256 provider. The
 * main thread meanwhile builds the command line; whichever thread needs a class first waits for
 * its initialisation, so this only ever moves work, never repeats it.
 */
final class WarmUp {
  private WarmUp() {}

  static void start() {
    Thread thread = new Thread(WarmUp::run, "imgtool-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    Json.object();
    Digest.newSha256();
  }
}
