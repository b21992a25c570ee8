package io.ncp.middlebox.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** What {@link BlockedProbe} reads from a {@code CLIENT LIST} reply (lines as redis-server 7.0 writes them). */
class BlockedProbeTest {

    @Test
    void blockedClientsAreThoseWithTheBFlag() {
        String list = "id=4 addr=127.0.0.1:44456 laddr=127.0.0.1:7391 fd=7 name= age=0 idle=0 flags=b db=0 sub=0 "
            + "psub=0 ssub=0 multi=-1 qbuf=0 cmd=xreadgroup user=default redir=-1 resp=2\n"
            + "id=5 addr=127.0.0.1:44472 laddr=127.0.0.1:7391 fd=8 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 "
            + "cmd=client|list user=default redir=-1 resp=2\n"
            + "id=6 addr=[::1]:5000 laddr=[::1]:7391 fd=9 name=b flags=P db=0 sub=1 cmd=subscribe\n"
            + "id=7 addr=10.0.0.1:6000 laddr=10.0.0.2:7391 fd=10 name= flags=xb db=0 cmd=blpop\n";
        assertThat(BlockedProbe.blocked(list)).containsExactlyInAnyOrder("127.0.0.1:44456", "10.0.0.1:6000");
        assertThat(BlockedProbe.blocked("")).isEmpty();
    }

    @Test
    void addressesAreFormattedAsRedisShowsThem() throws Exception {
        assertThat(BlockedProbe.addr(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 44456)))
            .isEqualTo("127.0.0.1:44456");
        assertThat(BlockedProbe.addr(new InetSocketAddress(InetAddress.getByName("::1"), 5000)))
            .isEqualTo("[::1]:5000");
        assertThat(BlockedProbe.compress("fe80:0:0:0:1:0:0:2")).isEqualTo("fe80::1:0:0:2");
        assertThat(BlockedProbe.compress("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(BlockedProbe.compress("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(BlockedProbe.compress("1:0:0:2:0:0:0:3")).isEqualTo("1:0:0:2::3");
    }
}
