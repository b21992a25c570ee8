/** Tests of the PostgreSQL session tracker and the SQL it counts as session state. */
package io.ncp.middlebox.pgsession;
