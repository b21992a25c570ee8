/**
 * Karaf commands of NCP: {@code ncp-add}, {@code ncp-list}, {@code ncp-remove}, {@code ncp-plan}. They reach the
 * {@link io.ncp.onos.api.NcpService} through a Karaf {@code @Reference} (tests set the field directly).
 */
package io.ncp.onos.cli;
