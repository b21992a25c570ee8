package io.ncp.onos.cli;

import io.ncp.onos.api.NcpService;
import io.ncp.onos.planner.ReplicationSpec;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosproject.cli.AbstractChoicesCompleter;

import java.util.List;
import java.util.stream.Collectors;

import static org.onosproject.cli.AbstractShellCommand.get;

/** Completes NCP spec names. */
@Service
public class ReplicationNameCompleter extends AbstractChoicesCompleter {

    @Override
    protected List<String> choices() {
        return get(NcpService.class).getReplications().stream().map(ReplicationSpec::name)
                .collect(Collectors.toList());
    }
}
