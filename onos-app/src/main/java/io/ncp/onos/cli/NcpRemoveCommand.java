package io.ncp.onos.cli;

import io.ncp.onos.api.NcpService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosproject.cli.AbstractShellCommand;

/** {@code ncp-remove NAME}: removes a spec, its rules and its middlebox service. */
@Service
@Command(scope = "onos", name = "ncp-remove", description = "Removes an NCP replication spec and its rules")
public class NcpRemoveCommand extends AbstractShellCommand {

    @Argument(index = 0, name = "name", description = "Spec name", required = true)
    @Completion(ReplicationNameCompleter.class)
    String name;

    @Reference
    NcpService service;

    @Override
    protected void doExecute() {
        NcpService ncp = service != null ? service : get(NcpService.class);
        if (ncp.removeReplication(name)) {
            print("%s: removed", name);
        } else {
            error("ncp-remove: no replication spec named '%s'", name);
        }
    }
}
