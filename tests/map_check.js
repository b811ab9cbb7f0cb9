/*
 * map_check.js — checks a rendered HTML report's interactive map from the
 * outside (tests/render_check.sh appends it to a copy of the report and
 * reads what it writes into the DOM).  It looks only at what Leaflet drew
 * (the layers' markers, polygons and colours) and at what the test knows
 * independently (CP_EXPECT: the located schools counted from the CSV
 * output, the ids the solver's warnings flagged as likely coordinate
 * errors), never at how the report chose its colours.
 * Writes one line "key=value ..." into <pre id="cp-check">.
 */
(function () {
    'use strict';
    var out = {}, E = window.CP_EXPECT || {}, map = window.cpMap, layers = window.cpLayers;
    var D = window.cpData;
    function done() {
        var pre = document.createElement('pre'), k, text = [];
        for (k in out)
            text.push(k + '=' + out[k]);
        pre.id = 'cp-check';
        pre.textContent = text.join(' ');
        document.body.appendChild(pre);
    }
    if (!map || !layers) {
        out.error = 'no-map';
        done();
        return;
    }
    var markers = [];
    ['centres', 'members', 'unassigned'].forEach(function (name) {
        layers[name].eachLayer(function (m) { markers.push(m); });
    });
    out.markers = markers.length;
    out.expected = E.located;

    /* the first view: share of the schools in it; flagged outliers outside */
    var view = map.getBounds(), inside = 0, flagged = {}, rest = L.latLngBounds([]);
    (E.outliers || []).forEach(function (id) { flagged[id] = 1; });
    markers.forEach(function (m) {
        if (view.contains(m.getLatLng()))
            inside++;
        if (!flagged[D.id[m.cpSchool]])
            rest.extend(m.getLatLng());
    });
    out.in_view_share = markers.length ? (inside / markers.length).toFixed(4) : 0;
    var outliers = 0, outlier_beyond_rest = 0, outlier_in_view = 0;
    markers.forEach(function (m) {
        if (!flagged[D.id[m.cpSchool]])
            return;
        outliers++;
        if (!rest.contains(m.getLatLng())) {
            outlier_beyond_rest++;
            if (view.contains(m.getLatLng()))
                outlier_in_view++;
        }
    });
    out.outliers = outliers;
    out.outliers_beyond_rest = outlier_beyond_rest;
    out.outliers_beyond_rest_in_view = outlier_in_view;

    /* colours: clusters whose centres are within 2 km or whose drawn areas
     * touch must differ (separating-axis test on Web Mercator metres) */
    var crs = L.CRS.EPSG3857, clusters = [];
    layers.hulls.eachLayer(function (h) {
        var ll = h.getLatLngs(), pts, c = D.c[h.cpCluster], centre;
        if (ll.length && Array.isArray(ll[0]))
            ll = ll[0];
        pts = ll.map(function (p) { return crs.project(p); });
        centre = c[1] >= 0 ? L.latLng(D.s[c[1]][0], D.s[c[1]][1]) : null;
        if (centre)
            pts.push(crs.project(centre));
        clusters.push({
            colour: (h.options.fillColor || h.options.color).toLowerCase(),
            hull: ll.map(function (p) { return crs.project(p); }).filter(function (p, k, all) {
                return all.findIndex(function (q) { return q.x === p.x && q.y === p.y; }) === k;
            }),
            centre: centre,
            label: c[0],
            lo: Math.min.apply(null, pts.map(function (p) { return p.x; })),
            hi: Math.max.apply(null, pts.map(function (p) { return p.x; })),
            bot: Math.min.apply(null, pts.map(function (p) { return p.y; })),
            top: Math.max.apply(null, pts.map(function (p) { return p.y; }))
        });
    });
    function axes(p) {
        var a = [], k, e;
        for (k = 0; k < p.length; k++) {
            e = {x: p[(k + 1) % p.length].x - p[k].x, y: p[(k + 1) % p.length].y - p[k].y};
            if (e.x || e.y) {
                a.push({x: -e.y, y: e.x});
                if (p.length < 3)
                    a.push(e);
            }
        }
        return a;
    }
    function range(p, a) {
        var lo = Infinity, hi = -Infinity;
        p.forEach(function (q) {
            var d = q.x * a.x + q.y * a.y;
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        });
        return [lo, hi];
    }
    function touch(p, q) {
        var all = axes(p).concat(axes(q)), k, r, s;
        if (p.length === 1 && q.length === 1)
            return p[0].x === q[0].x && p[0].y === q[0].y;
        for (k = 0; k < all.length; k++) {
            r = range(p, all[k]);
            s = range(q, all[k]);
            if (r[1] < s[0] || s[1] < r[0])
                return false;
        }
        return true;
    }
    clusters.sort(function (a, b) { return a.lo - b.lo; });
    var pairs = 0, same = 0, i, j, reach, conflicts = [];
    for (i = 0; i < clusters.length; i++) {
        /* 2 km in Mercator metres at this latitude, with room to spare */
        reach = 2100 / Math.cos(Math.min(Math.abs(crs.unproject(L.point(0, clusters[i].top)).lat),
                                         80) * Math.PI / 180);
        for (j = i + 1; j < clusters.length && clusters[j].lo <= clusters[i].hi + reach; j++) {
            var a = clusters[i], b = clusters[j], near;
            if (b.bot > a.top + reach || a.bot > b.top + reach)
                continue;
            near = (a.centre && b.centre && map.distance(a.centre, b.centre) <= 2000) ||
                   touch(a.hull, b.hull);
            if (!near)
                continue;
            pairs++;
            if (a.colour === b.colour) {
                same++;
                if (same <= 3)
                    conflicts.push(a.label + '|' + b.label + '|' +
                                   (a.centre && b.centre ? Math.round(map.distance(a.centre, b.centre)) : '-') + 'm');
            }
        }
    }
    out.neighbour_pairs = pairs;
    out.same_colour_neighbours = same;
    out.conflicts = conflicts.join(',') || 'none';
    out.colours = Object.keys(clusters.reduce(function (s, c) { s[c.colour] = 1; return s; },
                                              {})).length;
    /* member-centre lines, and those drawn along a road route (more than
     * their two ends) */
    var lines = 0, routes = 0;
    layers.links.eachLayer(function (p) {
        var ll = p.getLatLngs();
        (ll.length && Array.isArray(ll[0]) ? ll : [ll]).forEach(function (seg) {
            lines++;
            if (seg.length > 2)
                routes++;
        });
    });
    out.link_lines = lines;
    out.route_lines = routes;
    out.page_width = document.documentElement.scrollWidth;
    out.network_requests = performance.getEntriesByType('resource').filter(function (r) {
        return /^(https?|wss?|ftp):/.test(r.name);
    }).length;
    done();
}());
