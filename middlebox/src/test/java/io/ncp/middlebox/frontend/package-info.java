/** Handler tests with EmbeddedChannel (every buffer released) and a real ring behind the session. */
package io.ncp.middlebox.frontend;
