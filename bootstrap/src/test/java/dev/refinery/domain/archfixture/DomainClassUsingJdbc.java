package dev.refinery.domain.archfixture;

import java.sql.Connection;

/**
 * A test-only class in a domain package that reaches for JDBC. The architecture test imports it
 * alone to prove that the domain rules reject such a class (production imports skip tests).
 */
public final class DomainClassUsingJdbc {
    public boolean isOpen(Connection connection) throws java.sql.SQLException {
        return !connection.isClosed();
    }
}
