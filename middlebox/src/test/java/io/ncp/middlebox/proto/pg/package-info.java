/** Tests of PostgreSQL request framing, the noise model and the per-exchange answer filter. */
package io.ncp.middlebox.proto.pg;
