package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBodyPublisherTest {
  @TempDir Path dir;

  /** Records what it is given and asks for one item at a time, like a careful subscriber. */
  static final class Recorder implements Flow.Subscriber<ByteBuffer> {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Integer> sizes = new ArrayList<>();
    Flow.Subscription subscription;
    Throwable error;
    boolean complete;
    int onNextCalls;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(ByteBuffer item) {
      onNextCalls++;
      sizes.add(item.remaining());
      byte[] copy = new byte[item.remaining()];
      item.get(copy);
      bytes.writeBytes(copy);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onComplete() {
      complete = true;
    }
  }

  private Path file(int size) throws IOException {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    return Files.write(dir.resolve("blob-" + size), content);
  }

  @Test
  void sendsTheWholeFileInSlicesAsDemandedAndReportsProgress() throws IOException {
    int size = FileBodyPublisher.SLICE * 2 + 12345;
    Path file = file(size);
    List<Long> progress = new ArrayList<>();
    Recorder recorder = new Recorder();
    new FileBodyPublisher(file, size, progress::add).subscribe(recorder);

    recorder.subscription.request(1);
    assertEquals(1, recorder.onNextCalls, "no more than the demand");
    recorder.subscription.request(10);
    assertTrue(recorder.complete);
    assertEquals(List.of(FileBodyPublisher.SLICE, FileBodyPublisher.SLICE, 12345), recorder.sizes);
    assertArrayEquals(Files.readAllBytes(file), recorder.bytes.toByteArray());
    assertEquals(List.of((long) FileBodyPublisher.SLICE, 2L * FileBodyPublisher.SLICE, (long) size), progress);
  }

  @Test
  void anEmptyBlobCompletesWithoutItems() throws IOException {
    Recorder recorder = new Recorder();
    new FileBodyPublisher(file(0), 0, n -> { }).subscribe(recorder);
    recorder.subscription.request(1);
    assertTrue(recorder.complete);
    assertEquals(0, recorder.onNextCalls);
  }

  @Test
  void aFileShorterThanTheBlobIsRefusedBeforeAnythingIsMapped() throws IOException {
    Recorder recorder = new Recorder();
    new FileBodyPublisher(file(10), 11, n -> { }).subscribe(recorder);
    assertInstanceOf(IOException.class, recorder.error);
    assertTrue(recorder.error.getMessage().contains("shorter"), recorder.error.getMessage());
    assertFalse(recorder.complete);
  }

  @Test
  void cancelStopsTheItemsAndANonPositiveRequestIsAnError() throws IOException {
    int size = FileBodyPublisher.SLICE * 3;
    Recorder cancelled = new Recorder();
    new FileBodyPublisher(file(size), size, n -> { }).subscribe(cancelled);
    cancelled.subscription.request(1);
    cancelled.subscription.cancel();
    cancelled.subscription.request(5);
    assertEquals(1, cancelled.onNextCalls);
    assertFalse(cancelled.complete);

    Recorder wrong = new Recorder();
    new FileBodyPublisher(file(size), size, n -> { }).subscribe(wrong);
    wrong.subscription.request(0);
    assertInstanceOf(IllegalArgumentException.class, wrong.error);
  }
}
