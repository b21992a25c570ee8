/** Tests of the command line: exit codes and messages. */
package io.ncp.middlebox.cli;
