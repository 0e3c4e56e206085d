package io.imgtool.cli;

import io.imgtool.store.LayoutStore;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** What a running command needs from the global options: its store, its streams, progress. */
final class Session {
  private final ImgtoolCommand root;
  private final CommandSpec spec;
  private LayoutStore store;

  Session(ImgtoolCommand root, CommandSpec spec) {
    this.root = root;
    this.spec = spec;
  }

  /** The store; opening it creates nothing. */
  LayoutStore store() throws IOException {
    if (store == null) {
      store = LayoutStore.at(root.storePath());
    }
    return store;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Progress progress() {
    return new Progress(err(), root.progressMode());
  }

  Environment environment() {
    return root.environment();
  }
}
