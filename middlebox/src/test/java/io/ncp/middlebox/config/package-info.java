/** Tests of config parsing and validation. */
package io.ncp.middlebox.config;
