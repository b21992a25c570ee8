package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.onos.planner.Ipv4;
import io.ncp.onos.planner.NetworkGraph;
import io.ncp.onos.planner.SpecException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private NetworkGraph read(String json) throws Exception {
        return TopologyJson.read(mapper.readTree(json.replace('\'', '"')));
    }

    @Test
    void readsSwitchesLinksAndHosts() throws Exception {
        NetworkGraph g = read("{'switches':[{'name':'s1','dpid':'0000000000000001'},{'name':'s2'}],"
                + "'links':[{'src':'s1','srcPort':1,'dst':'s2','dstPort':2}],"
                + "'hosts':[{'name':'h1','ip':'10.0.0.1','mac':'00:00:00:00:00:01','switch':'s1','port':2,"
                + "'extra':'ignored'},{'name':'h2','ips':['10.0.0.2','10.0.1.2'],'mac':'00:00:00:00:00:02',"
                + "'switch':'s2','port':1}]}");

        assertThat(g.switches()).hasSize(2);
        assertThat(g.links()).extracting(Object::toString).containsExactly("s1:1->s2:2", "s2:2->s1:1");
        assertThat(g.hostByIp(Ipv4.parse("10.0.1.2")).orElseThrow().name()).isEqualTo("h2");
        assertThat(g.switchNode("s1").orElseThrow().dpid()).isEqualTo("0000000000000001");
    }

    @Test
    void errorsNameTheField() {
        assertError("{'switches':[{'name':'s1'}],'links':[{'src':'s1','srcPort':1,'dst':'s9','dstPort':1}],"
                + "'hosts':[]}", "links[0]", "link destination: unknown switch 's9'");
        assertError("{'switches':[{'name':'s1'}],'hosts':[{'name':'h1','ip':'10.0.0.1','mac':'zz',"
                + "'switch':'s1','port':1}]}", "hosts[0].mac", "not a MAC address: 'zz'");
        assertError("{'switches':[{'name':'s1'}],'hosts':[{'name':'h1','ip':'10.0.0.1','mac':'00:00:00:00:00:01',"
                + "'switch':'s1','port':0}]}", "hosts[0]", "switch s1: switch port must be >= 1, got 0");
        assertError("{'switches':[{'name':'s1'},{'name':'s1'}],'hosts':[]}", "switches[1].name",
                "duplicate switch 's1'");
        assertError("{'switches':[{'name':'s1'}]}", "hosts", "missing");
        assertError("{'switches':[{'name':'s1','dpid':'xyz'}],'hosts':[]}", "switches[0].dpid",
                "must be hex, up to 16 digits, got 'xyz'");
    }

    private void assertError(String json, String field, String problem) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(SpecException.class)
                .hasMessage(field + ": " + problem);
    }
}
