package io.imgtool.layer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A gzip stream compressed on several threads whose bytes do not depend on the thread count.
 *
 * <p>The input is cut into blocks of {@link #BLOCK_SIZE} bytes, a constant, so the cut points depend
 * on the data only. Each block is deflated on its own, primed with the last 32 KiB of the previous
 * block (the deflate window) so compression barely suffers, and ends on a byte boundary with a sync
 * flush; the last block ends the deflate stream. The blocks are written in order between a fixed
 * gzip header (no name, no mtime) and the CRC-32/ISIZE trailer. This is the pigz/pgzip scheme.
 * Given the same {@link GzipEngine} (and version of its library), the same input always gives the
 * same bytes, hence the same layer digest.
 *
 * <p>At most {@code 2 × threads} blocks are in flight, so memory does not grow with the input.
 * {@link #flush} does not cut a block (that would change the bytes).
 */
public final class ParallelGzipOutputStream extends OutputStream {
  /** Part of the output format: changing it changes every layer digest. */
  public static final int BLOCK_SIZE = 1 << 20;
  private static final int WINDOW_SIZE = 32 * 1024;
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final OutputStream out;
  private final GzipEngine engine;
  private final int maxInFlight;
  private final ExecutorService workers;
  /** One deflater per worker at most: a task takes an idle one or makes one, and puts it back. */
  private final ConcurrentLinkedQueue<BlockDeflater> idleDeflaters = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Future<DeflatedBlock>> inFlight = new ArrayDeque<>();
  private final ArrayDeque<byte[]> spareInputs = new ArrayDeque<>();
  private final ArrayDeque<byte[]> spareOutputs = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private byte[] block = new byte[BLOCK_SIZE];
  private int filled;
  private byte[] window = new byte[0];
  private long totalIn;
  private boolean finished;

  /** zlib at {@code level} (1-9) on all available processors. */
  public ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
    this(out, level, Runtime.getRuntime().availableProcessors());
  }

  /** zlib at {@code level} on {@code threads} threads; the output is the same for any thread count. */
  public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    this(out, GzipEngine.zlib(level), threads);
  }

  /** {@code engine} on {@code threads} threads; the output is the same for any thread count. */
  ParallelGzipOutputStream(OutputStream out, GzipEngine engine, int threads) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.out = out;
    this.engine = engine;
    this.maxInFlight = 2 * threads;
    this.workers = Executors.newFixedThreadPool(threads, daemonThreads());
    out.write(header(engine.extraFlags()));
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    crc.update(b, off, len);
    totalIn += len;
    while (len > 0) {
      int n = Math.min(len, BLOCK_SIZE - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == BLOCK_SIZE) {
        submit(false);
      }
    }
  }

  /** Writes out the blocks already compressed; never cuts the current block. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    writeCompleted();
    out.flush();
  }

  /** Ends the gzip stream (last block, trailer) without closing the underlying stream. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    try {
      submit(true);
      while (!inFlight.isEmpty()) {
        writeHead();
      }
      out.write(trailer());
    } finally {
      finished = true;
      stopWorkers();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      out.close();
    }
  }

  /** Native deflaters are freed only once no task can be using them. */
  private void stopWorkers() throws IOException {
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IOException("gzip workers did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the gzip workers", e);
    }
    for (BlockDeflater deflater; (deflater = idleDeflaters.poll()) != null; ) {
      deflater.close();
    }
  }

  private void submit(boolean last) throws IOException {
    DeflateTask task = new DeflateTask(block, filled, window, last, spareOrNew(spareOutputs, outputSize()));
    inFlight.add(workers.submit(task));
    window = Arrays.copyOfRange(block, Math.max(0, filled - WINDOW_SIZE), filled);
    block = spareOrNew(spareInputs, BLOCK_SIZE);
    filled = 0;
    while (inFlight.size() > maxInFlight) {
      writeHead();
    }
    writeCompleted();
  }

  private void writeCompleted() throws IOException {
    while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
      writeHead();
    }
  }

  private void writeHead() throws IOException {
    DeflatedBlock deflated = await(inFlight.remove());
    out.write(deflated.output(), 0, deflated.length());
    spareInputs.add(deflated.input());
    if (deflated.output().length == outputSize()) {
      spareOutputs.add(deflated.output());
    }
  }

  private static DeflatedBlock await(Future<DeflatedBlock> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while compressing", e);
    } catch (ExecutionException e) {
      throw new IOException("gzip compression failed: " + e.getCause(), e.getCause());
    }
  }

  /** Room for a block that does not compress: deflate's stored blocks add 5 bytes per 64 KiB. */
  private static int outputSize() {
    return BLOCK_SIZE + BLOCK_SIZE / 1024 + 64;
  }

  private static byte[] spareOrNew(ArrayDeque<byte[]> spares, int size) {
    byte[] spare = spares.poll();
    return spare != null ? spare : new byte[size];
  }

  private void ensureOpen() throws IOException {
    if (finished) {
      throw new IOException("gzip stream already finished");
    }
  }

  /** RFC 1952 header: deflate, no flags, mtime 0, the engine's XFL, OS "unknown" as Go writes it. */
  private static byte[] header(byte xfl) {
    return new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, xfl, (byte) 0xff};
  }

  private byte[] trailer() {
    byte[] trailer = new byte[8];
    putIntLittleEndian(trailer, 0, (int) crc.getValue());
    putIntLittleEndian(trailer, 4, (int) totalIn); // ISIZE is the length modulo 2^32
    return trailer;
  }

  private static void putIntLittleEndian(byte[] b, int off, int value) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (value >>> (8 * i));
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    int pool = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "imgtool-gzip-" + pool + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private record DeflatedBlock(byte[] input, byte[] output, int length) {}

  /** Deflates one block with an idle deflater of this stream's engine. */
  private final class DeflateTask implements Callable<DeflatedBlock> {
    private final byte[] input;
    private final int length;
    private final byte[] window;
    private final boolean last;
    private final byte[] output;

    DeflateTask(byte[] input, int length, byte[] window, boolean last, byte[] output) {
      this.input = input;
      this.length = length;
      this.window = window;
      this.last = last;
      this.output = output;
    }

    @Override
    public DeflatedBlock call() {
      BlockDeflater deflater = idleDeflaters.poll();
      if (deflater == null) {
        deflater = engine.deflaters().get();
      }
      try {
        BlockDeflater.Deflated deflated = deflater.deflate(input, length, window, last, output);
        return new DeflatedBlock(input, deflated.output(), deflated.length());
      } finally {
        idleDeflaters.add(deflater);
      }
    }
  }
}
