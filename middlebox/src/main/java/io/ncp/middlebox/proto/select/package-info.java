/**
 * Picks a service's request-aware protocol ({@link io.ncp.middlebox.proto.select.RequestAwareness}): the one place
 * that knows every protocol package, so that {@code proto} and its protocol packages do not depend on each other.
 */
package io.ncp.middlebox.proto.select;
