package io.ncp.onos.planner.cli;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The parsed command line of {@code ncp-plan}. Immutable once parsed. */
final class PlanOptions {

    static final String USAGE = String.join("\n",
            "usage: ncp-plan --topology FILE --spec FILE [--format ovs|json] [--base-routes] [--delete]"
                    + " [--middlebox-setup]",
            "  --topology FILE  topology JSON (switches, links, hosts; docs/plan-format.md)",
            "  --spec FILE      replication spec, YAML (.yaml/.yml) or JSON",
            "  --format F       ovs (default): ovs-ofctl add-flow lines; json: the plan as JSON",
            "  --base-routes    also print destination forwarding for every host (testbed without a controller)",
            "  --delete         print the ovs-ofctl del-flows lines that remove this spec's rules",
            "  --middlebox-setup  print, instead of flows, the commands the middlebox host runs once as root",
            "                   (non-tunnel: TPROXY to its transparent listener; tunnel: nothing)",
            "exit codes: 0 ok, 2 bad arguments or file (names the field), 3 the spec cannot be planned");

    final Path topology;
    final Path spec;
    final boolean json;
    final boolean baseRoutes;
    final boolean delete;
    final boolean help;
    /** Print the middlebox host's setup commands instead of flows. */
    final boolean middleboxSetup;

    private PlanOptions(Path topology, Path spec, boolean json, boolean baseRoutes, boolean delete, boolean help,
            boolean middleboxSetup) {
        this.topology = topology;
        this.spec = spec;
        this.json = json;
        this.baseRoutes = baseRoutes;
        this.delete = delete;
        this.help = help;
        this.middleboxSetup = middleboxSetup;
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException with a message for the user on a bad or missing argument
     */
    static PlanOptions parse(String... args) {
        Path topology = null;
        Path spec = null;
        String format = "ovs";
        boolean base = false;
        boolean delete = false;
        boolean setup = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h":
                case "--help":
                    return new PlanOptions(null, null, false, false, false, true, false);
                case "--topology":
                    topology = Paths.get(value(args, ++i, a));
                    break;
                case "--spec":
                    spec = Paths.get(value(args, ++i, a));
                    break;
                case "--format":
                    format = value(args, ++i, a);
                    break;
                case "--base-routes":
                    base = true;
                    break;
                case "--delete":
                    delete = true;
                    break;
                case "--middlebox-setup":
                    setup = true;
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (!"ovs".equals(format) && !"json".equals(format)) {
            throw new IllegalArgumentException("--format must be ovs or json, got '" + format + "'");
        }
        if (topology == null) {
            throw new IllegalArgumentException("--topology FILE is required");
        }
        if (spec == null) {
            throw new IllegalArgumentException("--spec FILE is required");
        }
        return new PlanOptions(topology, spec, "json".equals(format), base, delete, false, setup);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
