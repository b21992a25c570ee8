/** Tests of answer digests, masking and comparison. */
package io.ncp.middlebox.digest;
