/** NCP's ONOS application: redirection planning and rule installation. */
package io.ncp.onos;
