package io.imgtool.layer;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * Measures what {@link Posix} costs: the first call (JNA's load and binding) and the per-call
 * time of listXattrs and getXattr, beside Java's own user-xattr listing for scale.
 * Usage: {@code PosixBench [CALLS]}; prints one line per measure.
 */
public final class PosixBench {
  private PosixBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long start = System.nanoTime();
    boolean available = Posix.available();
    System.out.printf("first use (JNA load + bind): %.1f ms, available %s%n",
        (System.nanoTime() - start) / 1e6, available);

    Path dir = Files.createTempDirectory("posix-bench");
    Path bare = Files.writeString(dir.resolve("bare"), "x");
    Path tagged = Files.writeString(dir.resolve("tagged"), "x");
    Posix.setXattr(tagged, "user.bin", new byte[] {(byte) 0xff, 0, (byte) 0x80, 'a', 'b', 'c'});
    for (int round = 0; round < 3; round++) { // the later rounds are the warmed-up figures
      time("listXattrs, no xattrs", calls, () -> Posix.listXattrs(bare));
      time("listXattrs, one xattr", calls, () -> Posix.listXattrs(tagged));
      time("getXattr", calls, () -> Posix.getXattr(tagged, "user.bin"));
      UserDefinedFileAttributeView view =
          Files.getFileAttributeView(bare, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      time("java.nio user xattr list, no xattrs", calls, view::list);
    }
    Files.delete(tagged);
    Files.delete(bare);
    Files.delete(dir);
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static void time(String what, int calls, Call call) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      call.run();
    }
    System.out.printf("%-38s %d calls: %.2f us/call%n", what, calls, (System.nanoTime() - start) / 1e3 / calls);
  }
}
