/** Tests of RESP framing, the replay policy and the per-exchange answer filter. */
package io.ncp.middlebox.proto.resp;
