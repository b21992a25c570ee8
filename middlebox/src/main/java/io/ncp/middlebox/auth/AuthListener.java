package io.ncp.middlebox.auth;

/** Told how a replica connection's authentication ended. Called on the connection's event loop, at most once. */
public interface AuthListener {

    /** The replica accepted the credentials; the session now passes through. */
    void authenticated();

    /**
     * The replica refused the credentials or the exchange could not be performed ({@code why}: one line, never a
     * secret). The listener resets the connection.
     */
    void authFailed(String why);

    /**
     * After the replica accepted the credentials, a request the handler sends on its own to set the session up (a
     * continued PostgreSQL session's SET) failed ({@code why}). The listener resets the connection; by default as an
     * authentication failure.
     */
    default void setupFailed(String why) {
        authFailed(why);
    }
}
