/** Tests of the rendered views: /metrics names and the Grafana dashboard that reads them. */
package io.ncp.middlebox.view;
