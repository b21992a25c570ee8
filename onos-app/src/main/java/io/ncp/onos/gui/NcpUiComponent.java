package io.ncp.onos.gui;

import com.google.common.collect.ImmutableList;
import org.onosproject.ui.UiExtension;
import org.onosproject.ui.UiExtensionService;
import org.onosproject.ui.UiMessageHandlerFactory;
import org.onosproject.ui.UiView;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Registers the "NCP Replication" GUI view (resources under {@code app/view/ncpFlow}, {@code ncpgui/}). */
@Component(immediate = true)
public class NcpUiComponent {

    /** The view id (also the resource directory and the message prefix). */
    public static final String VIEW_ID = "ncpFlow";

    private static final Logger LOG = LoggerFactory.getLogger(NcpUiComponent.class);
    private static final ClassLoader CL = NcpUiComponent.class.getClassLoader();

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected UiExtensionService uiExtensionService;

    private final UiMessageHandlerFactory handlers = () -> ImmutableList.of(new NcpFlowViewMessageHandler());
    private final List<UiView> views = ImmutableList.of(new UiView(UiView.Category.NETWORK, VIEW_ID,
            "NCP Replication", "nav_flows"));
    private final UiExtension extension = new UiExtension.Builder(CL, views).messageHandlerFactory(handlers)
            .resourcePath("ncpgui").build();

    @Activate
    protected void activate() {
        uiExtensionService.register(extension);
        LOG.info("Started NCP GUI");
    }

    @Deactivate
    protected void deactivate() {
        uiExtensionService.unregister(extension);
        LOG.info("Stopped NCP GUI");
    }

    /** The registered extension (for tests). */
    UiExtension extension() {
        return extension;
    }
}
