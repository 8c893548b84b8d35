package dev.refinery.application.read;

import dev.refinery.domain.MalformedTextException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An opaque page cursor: the snapshot time of the first page and the last key returned. Later
 * pages read as of the same instant, so a listing is stable while writes go on.
 */
record Cursor(String kind, Instant asOf, String lastKey) {

    String encode() {
        String text = kind + "|" + asOf.getEpochSecond() + "|" + asOf.getNano() + "|" + lastKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String kind, String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = text.split("\\|", 4);
            if (parts.length != 4 || !parts[0].equals(kind)) throw new IllegalArgumentException("wrong shape");
            Instant asOf = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            return new Cursor(kind, asOf, parts[3]);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new MalformedTextException("cursor", cursor, -1, "is not a cursor this listing returned");
        }
    }
}
