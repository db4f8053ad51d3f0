package io.gatehouse.admin.api;

import io.gatehouse.config.Mount;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /admin/api/v1/mounts}: the token endpoint mounts this server runs (configuration: read-only). */
final class MountsResource {
    static final String PATH = AdminApi.BASE + "/mounts";

    private final List<Map<String, Object>> mounts;

    MountsResource(List<Mount> mounts) {
        this.mounts = mounts.stream().map(m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("path", m.path());
            o.put("dialect", m.dialect());
            o.put("options", new TreeMap<>(m.options()));
            return o;
        }).toList();
    }

    WebResponse list(WebRequest req, AdminAuth.Caller caller) {
        Query.none(req);
        return AdminApi.items(mounts);
    }
}
