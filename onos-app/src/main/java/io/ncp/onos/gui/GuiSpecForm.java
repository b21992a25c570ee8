package io.ncp.onos.gui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.io.SpecJson;

import java.util.Arrays;

/**
 * The GUI's "replicate this flow" form, as sent by ncpFlow.js: {@code name, src, dst, dstPort, middlebox,
 * listenPort, admin, mode, replicas ("ip:port, ip:port"), tunnel}; empty fields are left out. It becomes the same
 * spec JSON as a REST body, so validation and messages are the same everywhere. Stateless.
 */
final class GuiSpecForm {

    private GuiSpecForm() {
    }

    /**
     * The spec described by the form.
     *
     * @throws io.ncp.onos.planner.SpecException naming the field
     */
    static ReplicationSpec toSpec(ObjectNode form) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        copy(form, "name", root, "name");
        ObjectNode sel = root.putObject("selector");
        copy(form, "src", sel, "src");
        copy(form, "dst", sel, "dst");
        copy(form, "dstPort", sel, "dstPort");
        ObjectNode mb = root.putObject("middlebox");
        copy(form, "middlebox", mb, "host");
        copy(form, "listenPort", mb, "listenPort");
        copy(form, "admin", mb, "admin");
        copy(form, "mode", mb, "mode");
        String replicas = text(form, "replicas");
        if (replicas != null) {
            Arrays.stream(replicas.split("[,\\s]+")).filter(r -> !r.isEmpty())
                    .forEach(root.putArray("replicas")::add);
        }
        JsonNode tunnel = form.get("tunnel");
        if (tunnel != null && !tunnel.isNull()) {
            root.set("tunnel", tunnel);
        }
        return SpecJson.read(root);
    }

    private static void copy(ObjectNode from, String key, ObjectNode to, String as) {
        String v = text(from, key);
        if (v != null) {
            to.put(as, v);
        }
    }

    private static String text(ObjectNode form, String key) {
        JsonNode n = form.get(key);
        if (n == null || n.isNull() || n.asText().trim().isEmpty()) {
            return null;
        }
        return n.asText().trim();
    }
}
