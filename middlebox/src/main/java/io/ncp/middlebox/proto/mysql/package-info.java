/**
 * {@code protocol: mysql}: MySQL / MariaDB client/server protocol 4.1 framed into commands and replies (text and
 * prepared-statement result sets, multi-results, LOCAL INFILE, with or without CLIENT_DEPRECATE_EOF), its noise model
 * and request names.
 */
package io.ncp.middlebox.proto.mysql;
