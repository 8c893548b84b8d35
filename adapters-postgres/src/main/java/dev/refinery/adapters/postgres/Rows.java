package dev.refinery.adapters.postgres;

import io.helidon.dbclient.DbRow;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Reading columns of a DbRow, and binding times as PostgreSQL stores them. */
final class Rows {
    private Rows() {}

    /** The range a TIMESTAMPTZ parameter is clamped to ({@code Instant.MAX} means "now and forever"). */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    static String text(DbRow row, String column) {
        return row.column(column).get(String.class);
    }

    static long number(DbRow row, String column) {
        Number n = row.column(column).get(Number.class);
        if (n == null) throw new IllegalStateException("column " + column + " is NULL");
        return n.longValue();
    }

    static boolean bool(DbRow row, String column) {
        return Boolean.TRUE.equals(row.column(column).get(Boolean.class));
    }

    static List<String> strings(DbRow row, String column) {
        return Json.strings(text(row, column));
    }

    static Instant instant(DbRow row, String column) {
        Object value = row.column(column).get(Object.class);
        if (value instanceof Timestamp t) return t.toInstant();
        if (value instanceof OffsetDateTime o) return o.toInstant();
        throw new IllegalStateException("column " + column + " is not a timestamp: " + value);
    }

    /**
     * An instant as a TIMESTAMPTZ parameter: microseconds (what PostgreSQL keeps; truncating, so that
     * {@code a <= b} still holds after both are stored), clamped to the range it can hold.
     */
    static OffsetDateTime timestamp(Instant instant) {
        Instant clamped = instant.isBefore(EARLIEST) ? EARLIEST : instant.isAfter(LATEST) ? LATEST : instant;
        return OffsetDateTime.ofInstant(clamped.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
