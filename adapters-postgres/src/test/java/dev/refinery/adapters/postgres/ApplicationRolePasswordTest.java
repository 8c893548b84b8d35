package dev.refinery.adapters.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PasswordUtil;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service role's password reaches PostgreSQL only as a SCRAM-SHA-256 verifier computed here. */
class ApplicationRolePasswordTest {
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void aVerifierHasTheFormPostgresqlStoresAndAFreshSaltEachTime() {
        String a = PostgresMigrations.scramVerifier("correct horse battery staple");
        String b = PostgresMigrations.scramVerifier("correct horse battery staple");
        assertTrue(a.matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+"), a);
        assertNotEquals(a, b, "a random salt each time");
        assertFalse(a.contains("correct horse"));
    }

    @Test
    void theRoleIsCreatedWithAVerifierOfItsPassword() throws Exception {
        String role = "refinery_pw_" + Long.toHexString(System.nanoTime());
        new PostgresMigrations(db.owner()).createApplicationRole(role, Optional.of("s3cret-pa55"));
        try (Connection c = TestDatabase.connect(db.owner());
             PreparedStatement q = c.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
            q.setString(1, role);
            String stored;
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next());
                stored = rs.getString(1);
            }
            // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> of exactly this password
            String salt = stored.substring(stored.indexOf(':') + 1, stored.indexOf('$', "SCRAM-SHA-256$".length()));
            assertEquals(PasswordUtil.encodeScramSha256("s3cret-pa55".toCharArray(), 4096, Base64.getDecoder().decode(salt)),
                    stored);
        } finally {
            db.execute("DROP ROLE IF EXISTS " + role);
        }
    }
}
