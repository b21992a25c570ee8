/**
 * {@link io.ncp.middlebox.app.Appliance}: a middlebox with its admin endpoint and stats line, as {@code run},
 * {@code mirror} and {@code demo} start it.
 */
package io.ncp.middlebox.app;
