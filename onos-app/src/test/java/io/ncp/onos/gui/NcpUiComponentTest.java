package io.ncp.onos.gui;

import org.junit.Test;
import org.onosproject.ui.UiExtension;
import org.onosproject.ui.UiExtensionServiceAdapter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/** The GUI extension registers symmetrically and its view resources are where ONOS looks for them. */
public class NcpUiComponentTest {

    @Test
    public void registersTheViewAndItsResources() throws IOException {
        List<UiExtension> registered = new ArrayList<>();
        NcpUiComponent ui = new NcpUiComponent();
        ui.uiExtensionService = new UiExtensionServiceAdapter() {
            @Override
            public void register(UiExtension extension) {
                registered.add(extension);
            }

            @Override
            public void unregister(UiExtension extension) {
                registered.remove(extension);
            }
        };

        ui.activate();

        assertEquals(1, registered.size());
        UiExtension ext = registered.get(0);
        assertEquals("ncpFlow", ext.views().get(0).id());
        assertEquals("NCP Replication", ext.views().get(0).label());
        assertTrue(read(ext.js()).contains("app/view/ncpFlow/ncpFlow.js"));
        assertTrue(read(ext.css()).contains("app/view/ncpFlow/ncpFlow.css"));
        for (String file : List.of("ncpFlow.html", "ncpFlow.js", "ncpFlow.css")) {
            assertNotNull(file, ext.resource("ncpFlow", file));
        }
        assertTrue(read(ext.resource("ncpFlow", "ncpFlow.js")).contains("angular.module('ovNcpFlow'"));
        assertNotNull(ext.messageHandlerFactory().newHandlers());

        ui.deactivate();

        assertTrue(registered.isEmpty());
    }

    private static String read(InputStream in) throws IOException {
        assertNotNull(in);
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
