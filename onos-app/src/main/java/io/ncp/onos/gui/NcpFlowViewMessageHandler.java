package io.ncp.onos.gui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSet;
import io.ncp.onos.api.NcpService;
import io.ncp.onos.planner.OvsFlowFormatter;
import io.ncp.onos.planner.PlanningException;
import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.SpecException;
import io.ncp.onos.planner.io.PlanJson;
import org.onosproject.core.CoreService;
import org.onosproject.net.flow.FlowRuleService;
import org.onosproject.net.host.HostService;
import org.onosproject.net.topology.TopologyService;
import org.onosproject.ui.RequestHandler;
import org.onosproject.ui.UiMessageHandler;
import org.onosproject.ui.table.TableModel;
import org.onosproject.ui.table.TableRequestHandler;

import java.util.Collection;
import java.util.List;

/**
 * Messages of the "NCP Replication" view: {@code ncpFlowDataRequest} (the host-to-host flow table),
 * {@code ncpPlanRequest} → {@code ncpPlanResponse} (preview the plan for the selected flow and form) and
 * {@code ncpReplicateRequest} → {@code ncpReplicateResponse} (add the spec). Responses carry {@code ok} and either
 * the result or {@code error} (the field-naming message). Runs on the GUI's web-socket threads.
 */
public class NcpFlowViewMessageHandler extends UiMessageHandler {

    static final String DATA_REQ = "ncpFlowDataRequest";
    static final String DATA_RESP = "ncpFlowDataResponse";
    static final String ROWS = "ncpFlows";
    static final String PLAN_REQ = "ncpPlanRequest";
    static final String PLAN_RESP = "ncpPlanResponse";
    static final String REPLICATE_REQ = "ncpReplicateRequest";
    static final String REPLICATE_RESP = "ncpReplicateResponse";

    static final String ID = "id";
    static final String SRC = "src";
    static final String SRC_HOST = "srcHost";
    static final String DST = "dst";
    static final String DST_HOST = "dstHost";
    static final String DST_PORT = "dstPort";
    static final String DEVICES = "devices";
    static final String PACKETS = "packets";
    static final String BYTES = "bytes";
    static final String REPLICATION = "replication";
    static final String[] COLUMNS = {ID, SRC, SRC_HOST, DST, DST_HOST, DST_PORT, DEVICES, PACKETS, BYTES,
        REPLICATION};

    @Override
    protected Collection<RequestHandler> createRequestHandlers() {
        return ImmutableSet.of(new FlowTableHandler(), new PlanHandler(), new ReplicateHandler());
    }

    /** Fills the table model with one row per flow. */
    static void populate(TableModel tm, List<HostFlow> flows) {
        for (HostFlow f : flows) {
            tm.addRow().cell(ID, f.id()).cell(SRC, f.srcIp()).cell(SRC_HOST, f.srcHost()).cell(DST, f.dstIp())
                    .cell(DST_HOST, f.dstHost()).cell(DST_PORT, f.dstPort() == 0 ? "" : f.dstPort())
                    .cell(DEVICES, f.devices().size()).cell(PACKETS, f.packets()).cell(BYTES, f.bytes())
                    .cell(REPLICATION, f.replication());
        }
    }

    private final class FlowTableHandler extends TableRequestHandler {

        private FlowTableHandler() {
            super(DATA_REQ, DATA_RESP, ROWS);
        }

        @Override
        protected String[] getColumnIds() {
            return COLUMNS;
        }

        @Override
        protected String noRowsMessage(ObjectNode payload) {
            return "No host-to-host flows in the flow tables";
        }

        @Override
        protected void populateTable(TableModel tm, ObjectNode payload) {
            populate(tm, HostFlowCollector.collect(get(FlowRuleService.class), get(HostService.class),
                    get(TopologyService.class), get(CoreService.class), get(NcpService.class)));
        }
    }

    private final class PlanHandler extends RequestHandler {

        private PlanHandler() {
            super(PLAN_REQ);
        }

        @Override
        public void process(ObjectNode payload) {
            ObjectNode resp = objectNode();
            try {
                ReplicationPlan plan = get(NcpService.class).plan(GuiSpecForm.toSpec(payload));
                resp.put("ok", true).set("plan", PlanJson.write(plan, null));
                OvsFlowFormatter.addLines(plan).forEach(resp.putArray("lines")::add);
            } catch (SpecException | PlanningException e) {
                resp.put("ok", false).put("error", e.getMessage());
            }
            sendMessage(PLAN_RESP, resp);
        }
    }

    private final class ReplicateHandler extends RequestHandler {

        private ReplicateHandler() {
            super(REPLICATE_REQ);
        }

        @Override
        public void process(ObjectNode payload) {
            ObjectNode resp = objectNode();
            try {
                ReplicationPlan plan = get(NcpService.class).addReplication(GuiSpecForm.toSpec(payload));
                resp.put("ok", true).put("name", plan.spec().name()).put("rules", plan.rules().size());
            } catch (SpecException | PlanningException e) {
                resp.put("ok", false).put("error", e.getMessage());
            }
            sendMessage(REPLICATE_RESP, resp);
        }
    }
}
