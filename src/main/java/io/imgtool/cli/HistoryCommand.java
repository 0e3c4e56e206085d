package io.imgtool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.History;
import io.imgtool.image.Image;
import io.imgtool.image.Json;
import io.imgtool.images.LocalImages;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "history", description = {"Show the history of an image, newest first, like docker history.",
    "Format fields: .ID .CreatedSince .CreatedAt .CreatedBy .Size .Comment (Docker's names)."})
final class HistoryCommand implements Callable<Integer> {
  private static final int CREATED_BY_WIDTH = 45;
  /** Docker's history CreatedAt: RFC 3339, whole seconds, local time. */
  private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final Map<String, String> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("ID", "IMAGE");
    HEADERS.put("CreatedSince", "CREATED");
    HEADERS.put("CreatedBy", "CREATED BY");
    HEADERS.put("Size", "SIZE");
    HEADERS.put("Comment", "COMMENT");
    HEADERS.put("CreatedAt", "CREATED AT");
  }

  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = "--no-trunc", description = "Do not truncate output.")
  boolean noTrunc;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "table (default), json (one object a line), a Go template such as '{{.ID}} {{.CreatedBy}}',"
          + " or 'table TEMPLATE' for columns.")
  String format;

  @Parameters(paramLabel = "NAME", description = "A local image: name, image ID or ID prefix.")
  String name;

  /** One history entry with the size of the layer it made (0 for config-only steps). */
  private record Row(String image, History history, long size) {}

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    Listing.check(format);
    List<Row> rows = rows(new LocalImages(session.workspace()).resolve(name).image());
    Instant now = Instant.now();
    List<ObjectNode> nodes = rows.stream().map(row -> node(row, now)).toList();
    new Listing("ID", false, HEADERS, List.of("ID", "CreatedSince", "CreatedBy", "Size", "Comment"))
        .print(session.out(), format, session.quiet(), nodes);
    return 0;
  }

  /** Newest first; only the newest row is the image itself, as Docker shows {@code <missing>} below. */
  private List<Row> rows(Image image) {
    Iterator<Descriptor> layers = image.layers().iterator();
    List<Row> rows = new ArrayList<>();
    for (History history : image.config().history()) {
      long size = !history.emptyLayer() && layers.hasNext() ? layers.next().size() : 0;
      rows.add(0, new Row("<missing>", history, size));
    }
    if (!rows.isEmpty()) {
      String id = noTrunc ? image.id().toString() : image.id().shortHex();
      rows.set(0, new Row(id, rows.get(0).history(), rows.get(0).size()));
    }
    return rows;
  }

  /** A row with Docker's field names; CREATED BY is cut to 45 characters unless --no-trunc, as in Docker. */
  private ObjectNode node(Row row, Instant now) {
    History h = row.history();
    Instant created = created(h);
    ObjectNode node = Json.object();
    node.put("Comment", oneLine(h.comment()));
    // Only formats can show it; the default table does not load the time-zone rules for it.
    node.put("CreatedAt", created == null || format == null ? ""
        : CREATED_AT.format(created.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneId.systemDefault())));
    node.put("CreatedBy", truncate(oneLine(h.createdBy())));
    node.put("CreatedSince", Human.ago(created, now));
    node.put("ID", row.image());
    node.put("Size", Human.size(row.size()));
    return node;
  }

  private String truncate(String text) {
    if (noTrunc || text.codePointCount(0, text.length()) <= CREATED_BY_WIDTH) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, CREATED_BY_WIDTH - 1)) + "…";
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  static Instant created(History history) {
    try {
      return history.created() == null ? null : OffsetDateTime.parse(history.created()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
