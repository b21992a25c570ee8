/**
 * NCP's REST API at {@code /onos/ncp}: {@code /replications} CRUD and {@code /replications/plan} preview
 * ({@link io.ncp.onos.rest.ReplicationsWebResource}). Bodies are specs in the docs/plan-format.md format; errors
 * are {@code {"error": "..."}} naming the field (400), or the planning failure (422).
 */
package io.ncp.onos.rest;
