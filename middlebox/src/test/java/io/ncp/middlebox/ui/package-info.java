/**
 * The status page in a real browser: headless Chromium (Debian package) driven over the DevTools protocol against the
 * middlebox's admin listener, with real servers behind it.
 */
package io.ncp.middlebox.ui;
