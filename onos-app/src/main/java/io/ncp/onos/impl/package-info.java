/**
 * NCP's ONOS component: {@link io.ncp.onos.impl.NcpManager} (the {@code NcpService}), the adapter from ONOS's
 * topology and hosts to the planner's graph ({@link io.ncp.onos.impl.OnosGraphBuilder}), the translation of planned
 * rules into FlowRules ({@link io.ncp.onos.impl.FlowRuleTranslator}), their installation
 * ({@link io.ncp.onos.impl.RuleInstaller}), the middlebox admin API client ({@link io.ncp.onos.impl.MiddleboxClient},
 * with the bearer token of {@code AdminToken}), the middlebox health probes and fail-open
 * ({@code MiddleboxHealthMonitor}, {@code FailOpenController}), the component configuration
 * ({@link io.ncp.onos.impl.OsgiPropertyConstants}) and the network config ({@link io.ncp.onos.impl.NcpConfig}).
 */
package io.ncp.onos.impl;
