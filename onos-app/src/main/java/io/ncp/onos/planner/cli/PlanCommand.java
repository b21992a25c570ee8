package io.ncp.onos.planner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.BaseRoutes;
import io.ncp.onos.planner.NetworkGraph;
import io.ncp.onos.planner.OvsFlowFormatter;
import io.ncp.onos.planner.PlanningException;
import io.ncp.onos.planner.RedirectionPlanner;
import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;
import io.ncp.onos.planner.io.JsonFiles;
import io.ncp.onos.planner.io.MiddleboxHostSetup;
import io.ncp.onos.planner.io.PlanJson;
import io.ncp.onos.planner.io.SpecJson;
import io.ncp.onos.planner.io.TopologyJson;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ncp-plan}: plans a spec on a topology file without ONOS and prints {@code ovs-ofctl} lines or JSON
 * (usage: {@link PlanOptions#USAGE}; formats: docs/plan-format.md).
 */
public final class PlanCommand {

    /** Success. */
    public static final int OK = 0;
    /** Bad arguments or a bad file. */
    public static final int BAD_INPUT = 2;
    /** The spec cannot be planned on the topology. */
    public static final int CANNOT_PLAN = 3;

    private PlanCommand() {
    }

    /** Runs {@code ncp-plan} and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs {@code ncp-plan}, printing to {@code out}/{@code err}; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        PlanOptions options;
        try {
            options = PlanOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("ncp-plan: " + e.getMessage());
            err.println(PlanOptions.USAGE);
            return BAD_INPUT;
        }
        if (options.help) {
            out.println(PlanOptions.USAGE);
            return OK;
        }
        NetworkGraph graph;
        ReplicationSpec spec;
        try {
            graph = TopologyJson.read(JsonFiles.read(options.topology));
        } catch (SpecException e) {
            err.println("ncp-plan: " + prefixed(options.topology.toString(), e));
            return BAD_INPUT;
        }
        try {
            spec = SpecJson.read(JsonFiles.read(options.spec));
        } catch (SpecException e) {
            err.println("ncp-plan: " + prefixed(options.spec.toString(), e));
            return BAD_INPUT;
        }
        ReplicationPlan plan;
        try {
            plan = new RedirectionPlanner().plan(graph, spec);
        } catch (PlanningException e) {
            err.println("ncp-plan: cannot plan '" + spec.name() + "': " + e.getMessage());
            return CANNOT_PLAN;
        }
        List<String> lines = options.middleboxSetup ? MiddleboxHostSetup.lines(spec)
                : options.json ? List.of(json(plan, graph, options)) : ovs(plan, graph, options);
        lines.forEach(out::println);
        out.flush();
        return OK;
    }

    private static String prefixed(String file, SpecException e) {
        return e.field().equals(file) ? e.getMessage() : file + ": " + e.getMessage();
    }

    private static List<String> ovs(ReplicationPlan plan, NetworkGraph graph, PlanOptions options) {
        List<String> lines = new ArrayList<>();
        if (options.delete) {
            lines.addAll(OvsFlowFormatter.deleteLines(plan));
            return lines;
        }
        if (options.baseRoutes) {
            lines.addAll(OvsFlowFormatter.addLines(BaseRoutes.of(graph)));
        }
        lines.addAll(OvsFlowFormatter.addLines(plan));
        return lines;
    }

    private static String json(ReplicationPlan plan, NetworkGraph graph, PlanOptions options) {
        ObjectNode root = PlanJson.write(plan, graph);
        if (options.baseRoutes) {
            PlanJson.addBaseRoutes(root, BaseRoutes.of(graph));
        }
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
