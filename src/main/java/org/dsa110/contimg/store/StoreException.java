package org.dsa110.contimg.store;

import java.sql.SQLException;

/** An SQL failure, unchecked so callers need not declare it; the REST layer maps it to a JSON error. */
public class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public SQLException sqlException() {
        return (SQLException) getCause();
    }
}
