package io.imgtool.layer;

import io.imgtool.testing.Judges;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS) // a fifo opened by mistake would block forever
class PosixTest {
  static final byte[] BINARY = {(byte) 0xff, 0x00, (byte) 0x80, 'a', 'b', 'c'};
  /** What {@code setcap cap_net_raw=+ep} stores: VFS_CAP_REVISION_2, effective, CAP_NET_RAW. */
  static final byte[] CAP_NET_RAW = {
      0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  private static final int S_IFIFO = 0010000;
  private static final int S_IFCHR = 0020000;

  @TempDir
  Path dir;

  @BeforeAll
  static void requireJna() {
    assertTrue(Posix.available(), "JNA must load on the test machine");
  }

  /** Whether this process runs as uid 0: /proc/self belongs to the process's user. */
  static boolean isRoot() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void binaryUserXattrRoundTripsByteExact() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    Posix.setXattr(file, "user.bin", BINARY);
    assertArrayEquals(BINARY, Posix.getXattr(file, "user.bin"));
  }

  @Test
  void emptyValueIsNotMissing() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    Posix.setXattr(file, "user.empty", new byte[0]);
    assertArrayEquals(new byte[0], Posix.getXattr(file, "user.empty"));
  }

  @Test
  void largeValueRoundTrips() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    byte[] value = new byte[3000];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    Posix.setXattr(file, "user.large", value);
    assertArrayEquals(value, Posix.getXattr(file, "user.large"));
  }

  @Test
  void listsNames() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertEquals(List.of(), Posix.listXattrs(file));
    Posix.setXattr(file, "user.one", BINARY);
    Posix.setXattr(file, "user.two", new byte[] {1});
    assertEquals(List.of("user.one", "user.two"), Posix.listXattrs(file).stream().sorted().toList());
  }

  @Test
  void missingXattrIsNull() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertNull(Posix.getXattr(file, "user.absent"));
  }

  @Test
  void securityCapabilityRoundTripsAsRoot() throws IOException {
    Judges.requireRoot(); // security.* needs CAP_SETFCAP
    Path file = Files.writeString(dir.resolve("ping"), "x");
    Posix.setXattr(file, "security.capability", CAP_NET_RAW);
    assertArrayEquals(CAP_NET_RAW, Posix.getXattr(file, "security.capability"));
    assertTrue(Posix.listXattrs(file).contains("security.capability"));
  }

  @Test
  void trustedXattrRoundTripsAsRoot() throws IOException {
    Judges.requireRoot(); // trusted.* needs CAP_SYS_ADMIN
    Path file = Files.writeString(dir.resolve("f"), "x");
    Posix.setXattr(file, "trusted.overlay.opaque", new byte[] {'y'});
    assertArrayEquals(new byte[] {'y'}, Posix.getXattr(file, "trusted.overlay.opaque"));
  }

  @Test
  void symlinkXattrsNeverReachTheTarget() throws IOException {
    Judges.requireRoot(); // Linux allows user.* only on files and directories; trusted.* needs root
    Path target = Files.writeString(dir.resolve("target"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target.getFileName());
    Posix.setXattr(link, "trusted.mark", BINARY);
    assertArrayEquals(BINARY, Posix.getXattr(link, "trusted.mark"));
    assertNull(Posix.getXattr(target, "trusted.mark"));
    assertEquals(List.of(), Posix.listXattrs(target));
  }

  @Test
  void userXattrOnSymlinkIsRefusedWithErrno() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("nowhere"));
    PosixException e = assertThrows(PosixException.class, () -> Posix.setXattr(link, "user.x", BINARY));
    assertTrue(e.isPermissionDenied(), "errno " + e.errno());
  }

  @Test
  void fifoIsMadeAndChangedWithoutOpening() throws IOException {
    Path fifo = dir.resolve("fifo");
    Posix.mknod(fifo, S_IFIFO | 0600, 0, 0);
    Posix.chmod(fifo, 0741);
    Posix.setTimes(fifo, 1_000_000_000L, 0);
    Map<String, Object> a = Files.readAttributes(fifo, "unix:mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    assertEquals(S_IFIFO | 0741, (int) (Integer) a.get("mode"));
    assertEquals(FileTime.from(1_000_000_000L, TimeUnit.SECONDS), a.get("lastModifiedTime"));
  }

  @Test
  void charDeviceCarriesMajorAndMinor() throws IOException {
    Judges.requireRoot(); // device nodes need CAP_MKNOD
    Path device = dir.resolve("null");
    Posix.mknod(device, S_IFCHR | 0600, 1, 3);
    Posix.chmod(device, 0666); // mknod's mode went through the umask
    Map<String, Object> a = Files.readAttributes(device, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertEquals(S_IFCHR | 0666, (int) (Integer) a.get("mode"));
    assertEquals(Posix.makedev(1, 3), (long) (Long) a.get("rdev"));
    assertEquals(0x103L, Posix.makedev(1, 3));
  }

  @Test
  void largeDeviceNumbersUseTheSplitEncoding() throws IOException {
    Judges.requireRoot(); // device nodes need CAP_MKNOD
    Path device = dir.resolve("big");
    Posix.mknod(device, S_IFCHR | 0600, 4095, 1_048_575); // 12-bit major, 20-bit minor
    long rdev = (Long) Files.readAttributes(device, "unix:rdev", LinkOption.NOFOLLOW_LINKS).get("rdev");
    assertEquals(Posix.makedev(4095, 1_048_575), rdev);
    assertEquals(4095, (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
    assertEquals(1_048_575, (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
  }

  @Test
  void legacyMknodRouteWorksWhereLibcStillExportsIt() throws IOException {
    Path fifo = dir.resolve("fifo");
    try {
      Posix.legacyMknod(fifo, S_IFIFO | 0644, 0, 0);
    } catch (IOException e) {
      assumeTrue(false, "this libc has no __xmknodat: " + e.getMessage());
    }
    int mode = (Integer) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    assertEquals(S_IFIFO, mode & 0170000);
  }

  @Test
  void setTimesOnSymlinkLeavesTheTarget() throws IOException {
    Path target = Files.writeString(dir.resolve("target"), "x");
    Files.setLastModifiedTime(target, FileTime.from(Instant.ofEpochSecond(2_000_000_000L)));
    Path link = Files.createSymbolicLink(dir.resolve("link"), target.getFileName());
    Posix.setTimes(link, 1_234_567_890L, 500);
    assertEquals(FileTime.from(Instant.ofEpochSecond(1_234_567_890L, 500)),
        Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS));
    assertEquals(FileTime.from(Instant.ofEpochSecond(2_000_000_000L)), Files.getLastModifiedTime(target));
  }

  @Test
  void errorsCarryErrnoPathAndReason() {
    Path missing = dir.resolve("missing");
    PosixException e = assertThrows(PosixException.class, () -> Posix.getXattr(missing, "user.x"));
    assertEquals(PosixException.ENOENT, e.errno());
    assertTrue(e.isNotFound());
    assertFalse(e.isPermissionDenied());
    assertEquals(missing.toString(), e.getFile());
    assertEquals("No such file or directory", e.getReason());
    assertEquals(missing + ": lgetxattr user.x: No such file or directory", e.getMessage());
    assertThrows(PosixException.class, () -> Posix.listXattrs(missing));
    assertThrows(PosixException.class, () -> Posix.chmod(missing, 0644));
    assertThrows(PosixException.class, () -> Posix.setTimes(missing, 0, 0));
  }

  @Test
  void existingNodeIsEexist() throws IOException {
    Path fifo = dir.resolve("fifo");
    Posix.mknod(fifo, S_IFIFO | 0600, 0, 0);
    PosixException e = assertThrows(PosixException.class, () -> Posix.mknod(fifo, S_IFIFO | 0600, 0, 0));
    assertEquals(17, e.errno()); // EEXIST
  }

  @Test
  void nonAsciiPathsNameTheSameFileAsJava() throws IOException {
    assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")), "needs a UTF-8 locale");
    Path file = Files.writeString(dir.resolve("caf\u00e9-\u65e5\u672c"), "x");
    Posix.setXattr(file, "user.\u00fc", BINARY);
    assertArrayEquals(BINARY, Posix.getXattr(file, "user.\u00fc"));
    assertEquals(List.of("user.\u00fc"), Posix.listXattrs(file));
  }

  @Test
  void rejectsBadArguments() {
    Path file = dir.resolve("f");
    assertThrows(IllegalArgumentException.class, () -> Posix.getXattr(file, "user.a\0b"));
    assertThrows(IllegalArgumentException.class, () -> Posix.setTimes(file, 0, 1_000_000_000));
  }
}
