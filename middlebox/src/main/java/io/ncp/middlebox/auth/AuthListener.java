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
}
