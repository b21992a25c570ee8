/** Admin API tests: requests through EmbeddedChannel against a real (empty) middlebox. */
package io.ncp.middlebox.admin;
