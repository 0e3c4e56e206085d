package io.imgtool.store;

import java.util.List;

/** The outcome of {@code rmi}: events in argument order, and the blobs it freed. */
public record RemovalReport(List<RemovalEvent> events, PruneReport garbage) {
  public RemovalReport {
    events = List.copyOf(events);
  }

  public boolean failed() {
    return events.stream().anyMatch(e -> e instanceof RemovalEvent.Failed);
  }
}
