/**
 * NCP's REST API at {@code /onos/ncp}: {@code /replications} CRUD and {@code /replications/plan} preview
 * ({@link io.ncp.onos.rest.ReplicationsWebResource}). Bodies are specs in the docs/plan-format.md format; errors
 * are {@code {"error": "..."}} naming the field (400), or the planning failure (422). {@code viewer} users may only
 * GET; POST/PUT/DELETE need {@code admin} (403 otherwise, ONOS's AuthorizationFilter).
 */
package io.ncp.onos.rest;
