package dev.refinery.bootstrap.archfixture;

import java.sql.Connection;

/**
 * Pretends to be a domain class that reaches for JDBC; the architecture test imports it alone to
 * prove the domain rules would reject such a class. Its package is renamed at import time by
 * ArchUnit's view of it as "dev.refinery.domain" through {@link #PRETEND_PACKAGE}.
 */
public final class DomainClassUsingJdbc {
    public static final String PRETEND_PACKAGE = "dev.refinery.domain";

    public boolean isOpen(Connection connection) throws java.sql.SQLException {
        return !connection.isClosed();
    }
}
