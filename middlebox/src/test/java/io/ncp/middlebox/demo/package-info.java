/** Tests of the demo and its key-value server. */
package io.ncp.middlebox.demo;
