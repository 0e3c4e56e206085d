package io.imgtool.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in separate JVMs by ConcurrencyTest, because threads of one JVM share its file locks and
 * only separate processes show that the OS lock really excludes.
 *
 * <pre>
 *   tag STORE PREFIX COUNT   commit COUNT images named localhost:5000/PREFIX/img:N
 *   hold STORE               open a staging, print "ready", keep it until killed
 * </pre>
 */
public final class StoreWorker {
  static final byte[] BASE = "base layer shared by every worker".getBytes(StandardCharsets.UTF_8);

  private StoreWorker() {}

  public static void main(String[] args) throws Exception {
    LayoutStore store = LayoutStore.at(Path.of(args[1]));
    switch (args[0]) {
      case "tag" -> {
        int count = Integer.parseInt(args[3]);
        for (int i = 0; i < count; i++) {
          TestImages.commit(store, "localhost:5000/" + args[2] + "/img:" + i, args[2] + "-" + i, BASE);
        }
      }
      case "hold" -> {
        try (Staging staging = store.stage()) {
          staging.putBlob("held".getBytes(StandardCharsets.UTF_8));
          System.out.println("ready");
          System.out.flush();
          System.in.read();
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }
}
