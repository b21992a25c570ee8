package io.ncp.replay.decode;

/**
 * The link-layer header types NCP decodes, by their pcap LINKTYPE / libpcap DLT numbers.
 * Anything else is rejected when a capture is opened ({@link #of(int)} returns null).
 */
public enum LinkType {
    /** BSD loopback: 4-byte address family in the capturing host's byte order. */
    NULL(0),
    /** Ethernet II, 802.1Q/802.1ad VLAN tags allowed ({@code lo} on Linux is Ethernet too). */
    ETHERNET(1),
    /** Raw IP (LINKTYPE_RAW; libpcap's DLT_RAW is 12 or 14 on some platforms). */
    RAW(101),
    /** OpenBSD loopback: 4-byte address family in network byte order. */
    LOOP(108),
    /** Linux cooked capture v1 ({@code tcpdump -i any} before libpcap 1.10). */
    LINUX_SLL(113),
    /** Raw IPv4. */
    IPV4(228),
    /** Raw IPv6. */
    IPV6(229),
    /** Linux cooked capture v2 ({@code tcpdump -i any} with libpcap 1.10+ when asked for it). */
    LINUX_SLL2(276);

    private final int number;

    LinkType(int number) {
        this.number = number;
    }

    /** The pcap LINKTYPE number. */
    public int number() {
        return number;
    }

    /** The link type for a pcap LINKTYPE or libpcap DLT number, or null when NCP cannot decode it. */
    public static LinkType of(int number) {
        switch (number) {
            case 12:
            case 14:
                return RAW;
            default:
                for (LinkType t : values()) {
                    if (t.number == number) {
                        return t;
                    }
                }
                return null;
        }
    }
}
