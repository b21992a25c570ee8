package io.ncp.onos.gui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.api.NcpService;
import io.ncp.onos.impl.NcpFixture;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.onlab.osgi.TestServiceDirectory;
import org.onlab.packet.Ethernet;
import org.onlab.packet.IPv4;
import org.onlab.packet.IpPrefix;
import org.onlab.packet.MacAddress;
import org.onlab.packet.TpPort;
import org.onosproject.TestApplicationId;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.onosproject.net.DeviceId;
import org.onosproject.net.PortNumber;
import org.onosproject.net.flow.DefaultFlowEntry;
import org.onosproject.net.flow.DefaultFlowRule;
import org.onosproject.net.flow.DefaultTrafficSelector;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.FlowEntry;
import org.onosproject.net.flow.FlowRuleService;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.host.HostService;
import org.onosproject.net.topology.TopologyService;
import org.onosproject.ui.UiConnection;
import org.onosproject.ui.model.topo.UiTopoLayout;

import java.util.ArrayList;
import java.util.List;

import static io.ncp.onos.impl.NcpFixture.S1;
import static io.ncp.onos.impl.NcpFixture.S2;
import static io.ncp.onos.impl.NcpFixture.S3;
import static io.ncp.onos.impl.NcpFixture.S4;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The GUI message handler end to end (init with a connection and a service directory, process web-socket
 * messages): the host-to-host flow table built from flow entries, plan preview and "replicate".
 */
public class NcpFlowViewMessageHandlerTest {

    private static final ApplicationId FWD = TestApplicationId.create("org.onosproject.fwd");

    private final List<String> sentTypes = new ArrayList<>();
    private final List<ObjectNode> sent = new ArrayList<>();
    private final ObjectMapper mapper = new ObjectMapper();
    private NcpFixture fx;
    private NcpFlowViewMessageHandler handler;

    @Before
    public void setUp() {
        fx = new NcpFixture(true);
        fx.activate();
        TestServiceDirectory dir = new TestServiceDirectory()
                .add(FlowRuleService.class, fx.flows).add(HostService.class, fx.hosts)
                .add(TopologyService.class, fx.topology).add(NcpService.class, fx.manager)
                .add(CoreService.class, fx.core);
        handler = new NcpFlowViewMessageHandler();
        handler.init(new RecordingConnection(), dir);
    }

    @After
    public void tearDown() {
        fx.deactivate();
    }

    private static FlowEntry entry(DeviceId device, TrafficSelector selector, ApplicationId app, long packets,
                                   long bytes) {
        return new DefaultFlowEntry(DefaultFlowRule.builder().forDevice(device).withSelector(selector)
                .withTreatment(DefaultTrafficTreatment.builder().setOutput(PortNumber.portNumber(2)).build())
                .withPriority(10).fromApp(app).makeTemporary(10).build(), FlowEntry.FlowEntryState.ADDED, 5,
                packets, bytes);
    }

    private static TrafficSelector macs(int src, int dst) {
        return DefaultTrafficSelector.builder().matchInPort(PortNumber.portNumber(1))
                .matchEthSrc(MacAddress.valueOf(String.format("00:00:00:00:00:%02x", src)))
                .matchEthDst(MacAddress.valueOf(String.format("00:00:00:00:00:%02x", dst))).build();
    }

    private static TrafficSelector tcp(int src, int dst, int port) {
        return DefaultTrafficSelector.builder().matchEthType(Ethernet.TYPE_IPV4).matchIPProtocol(IPv4.PROTOCOL_TCP)
                .matchIPSrc(IpPrefix.valueOf("10.0.0." + src + "/32"))
                .matchIPDst(IpPrefix.valueOf("10.0.0." + dst + "/32")).matchTcpDst(TpPort.tpPort(port)).build();
    }

    private ObjectNode request(String event, ObjectNode payload) {
        ObjectNode msg = mapper.createObjectNode().put("event", event);
        msg.set("payload", payload);
        sent.clear();
        sentTypes.clear();
        handler.process(msg);
        assertEquals(1, sent.size());
        return sent.get(0);
    }

    @Test
    public void tableListsHostToHostFlowsFromTheFlowTables() {
        fx.manager.addReplication(NcpFixture.spec("redis", true, null));
        fx.flows.entries.put(S1, List.of(entry(S1, macs(1, 2), FWD, 10, 1000),
                entry(S1, tcp(1, 2, 6379), fx.appId, 99, 9999)));
        fx.flows.entries.put(S2, List.of(entry(S2, macs(1, 2), FWD, 12, 1200), entry(S2, macs(2, 1), FWD, 7, 700)));
        fx.flows.entries.put(S3, List.of(entry(S3, macs(1, 0x42), FWD, 1, 100)));
        fx.flows.entries.put(S4, List.of(entry(S4, tcp(5, 2, 6379), FWD, 5, 500)));

        ObjectNode resp = request("ncpFlowDataRequest", mapper.createObjectNode());

        assertEquals("ncpFlowDataResponse", sentTypes.get(0));
        JsonNode rows = resp.get("ncpFlows");
        assertEquals(rows.toString(), 3, rows.size());
        JsonNode first = rows.get(0);
        assertEquals("10.0.0.1>10.0.0.2", first.get("id").asText());
        assertEquals("00:00:00:00:00:01/None", first.get("srcHost").asText());
        assertEquals("2", first.get("devices").asText());
        assertEquals("12", first.get("packets").asText());
        assertEquals("1200", first.get("bytes").asText());
        assertEquals("redis", first.get("replication").asText());
        assertEquals("10.0.0.2>10.0.0.1", rows.get(1).get("id").asText());
        assertEquals("", rows.get(1).get("replication").asText());
        assertEquals("10.0.0.5>10.0.0.2:6379", rows.get(2).get("id").asText());
        assertEquals("6379", rows.get(2).get("dstPort").asText());
        assertEquals("", rows.get(2).get("replication").asText());
    }

    @Test
    public void aReplicationInFailOpenIsMarkedInTheTable() throws Exception {
        fx.fastHealthProbes();
        fx.manager.addReplication(NcpFixture.spec("redis", true, NcpFixture.closedAdmin()));
        fx.flows.entries.put(S1, List.of(entry(S1, macs(1, 2), FWD, 10, 1000)));

        NcpFixture.awaitTrue("FAIL_OPEN", () -> fx.manager.getStatus("redis").orElseThrow().failOpenSince() != null);
        ObjectNode resp = request("ncpFlowDataRequest", mapper.createObjectNode());

        assertEquals("redis (FAIL_OPEN)", resp.get("ncpFlows").get(0).get("replication").asText());
    }

    @Test
    public void emptyTablesSayWhy() {
        ObjectNode resp = request("ncpFlowDataRequest", mapper.createObjectNode());

        assertEquals(0, resp.get("ncpFlows").size());
        assertEquals("No host-to-host flows in the flow tables", resp.get("annots").get("no_rows_msg").asText());
    }

    private ObjectNode form() {
        return mapper.createObjectNode().put("name", "web").put("src", "10.0.0.5").put("dst", "10.0.0.2")
                .put("dstPort", "6379").put("middlebox", "10.0.0.3").put("listenPort", "7000").put("admin", "")
                .put("replicas", "10.0.0.4:6379, 10.0.0.1:6379").put("tunnel", true);
    }

    @Test
    public void selectingAFlowPreviewsItsPlanWithoutInstalling() {
        ObjectNode resp = request("ncpPlanRequest", form());

        assertEquals("ncpPlanResponse", sentTypes.get(0));
        assertTrue(resp.toString(), resp.get("ok").asBoolean());
        assertEquals("of:s2", resp.get("plan").get("clients").get(0).get("redirectionSwitch").asText());
        assertTrue(resp.get("lines").get(0).asText().startsWith("ovs-ofctl -O OpenFlow13 add-flow of:s2 "));
        assertTrue(fx.flows.applied.isEmpty());
    }

    @Test
    public void replicateAddsTheSpecAndBadFormsNameTheField() {
        ObjectNode resp = request("ncpReplicateRequest", form());

        assertEquals("ncpReplicateResponse", sentTypes.get(0));
        assertTrue(resp.toString(), resp.get("ok").asBoolean());
        assertEquals(2, fx.manager.getReplication("web").orElseThrow().replicas().size());
        assertFalse(fx.flows.installed().isEmpty());

        ObjectNode bad = request("ncpReplicateRequest", form().put("name", "web2").put("dstPort", "x"));
        assertFalse(bad.get("ok").asBoolean());
        assertEquals("selector.dstPort: must be an integer, got \"x\"", bad.get("error").asText());
    }

    private final class RecordingConnection implements UiConnection {
        @Override
        public String userName() {
            return "karaf";
        }

        @Override
        public UiTopoLayout currentLayout() {
            return null;
        }

        @Override
        public void setCurrentLayout(UiTopoLayout topoLayout) {
        }

        @Override
        public String currentView() {
            return "ncpFlow";
        }

        @Override
        public void setCurrentView(String viewId) {
        }

        @Override
        public void sendMessage(ObjectNode message) {
            sentTypes.add(message.path("event").asText());
            sent.add((ObjectNode) message.path("payload"));
        }

        @Override
        public void sendMessage(String type, ObjectNode payload) {
            sentTypes.add(type);
            sent.add(payload);
        }
    }
}
