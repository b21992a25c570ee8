package io.ncp.middlebox.proto.select;

import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.proto.RequestAware;
import io.ncp.middlebox.proto.http.HttpAware;
import io.ncp.middlebox.proto.http.HttpNoise;
import io.ncp.middlebox.proto.mysql.MySqlAware;
import io.ncp.middlebox.proto.pg.PgAware;
import io.ncp.middlebox.proto.resp.RespAware;

/** Which request-aware protocol a service's sessions get. Stateless. */
public final class RequestAwareness {

    private RequestAwareness() {
    }

    /** The request-aware pieces for {@code service}'s protocol, or null when its sessions are replayed as bytes. */
    public static RequestAware of(ServiceConfig service) {
        return switch (service.protocol()) {
            case REDIS -> new RespAware(service.redis());
            case POSTGRES -> new PgAware();
            case HTTP -> new HttpAware(HttpNoise.DEFAULTS);
            case MYSQL -> new MySqlAware();
            default -> null;
        };
    }
}
