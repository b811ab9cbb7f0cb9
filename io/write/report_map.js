/*
 * report_map.js — the interactive map of the HTML report (write_report.c
 * embeds it, with Leaflet, at build time: the report is one file that
 * works offline).  It draws CP_DATA, written by write_report.c:
 *   s: per school [y, x, role (0 centre, 1 member, 2 unassigned),
 *      cluster index or -1, distance, teachers, likely coordinate error 0/1]
 *   id, name: per school; why: {school index: reason} for unassigned ones
 *   c: per cluster [label, centre school index, colour index, size,
 *      hull as [y, x, y, x, ...]]
 *   u: per admin unit at the rule's level [name, hull]
 *   r: with roads, {school index: its route to the centre [y, x, y, x, ...]}
 *   n: with roads, the road layer's edges in view [[y, x, y, x], ...]
 *   colours, geo (lon/lat, else projected x/y), units, basemap.
 * Canvas renderer throughout: 30,000 schools stay smooth.  No tiles unless
 * the report was written with --basemap.  Exposes cpMap, cpLayers and
 * cpData for the tests (tests/map_check.js).
 */
(function () {
    'use strict';
    var D = window.CP_DATA;
    var map = L.map('map', {
        preferCanvas: true,
        crs: D.geo ? L.CRS.EPSG3857 : L.CRS.Simple,
        zoomSnap: 0.25,
        minZoom: D.geo ? 2 : -12
    });
    var renderer = L.canvas({padding: 0.5});
    if (D.basemap)
        L.tileLayer(D.basemap, {attribution: 'basemap: ' + D.basemap, maxZoom: 19}).addTo(map);

    function colourOf(k) { return k < 0 ? '#d62728' : D.colours[D.c[k][2]]; }
    function latlngs(flat) {
        var out = [], j;
        for (j = 0; j + 1 < flat.length; j += 2)
            out.push([flat[j], flat[j + 1]]);
        return out;
    }
    function esc(t) {
        return String(t).replace(/[&<>"]/g, function (ch) {
            return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[ch];
        });
    }

    var layers = {
        roads: L.featureGroup(),
        units: L.featureGroup(), hulls: L.featureGroup(), links: L.featureGroup(),
        members: L.featureGroup(), centres: L.featureGroup(), unassigned: L.featureGroup()
    };
    D.u.forEach(function (u) {
        var ll = latlngs(u[1]);
        if (ll.length < 3)
            return;
        L.polygon(ll, {renderer: renderer, color: '#555', weight: 1, dashArray: '4 3',
                       fill: false, interactive: false}).addTo(layers.units).cpUnit = u[0];
    });
    D.c.forEach(function (c, k) {
        var ll = latlngs(c[4]), col = colourOf(k), shape;
        if (ll.length === 0)
            return;
        shape = ll.length < 3
            ? L.polyline(ll.length === 1 ? [ll[0], ll[0]] : ll,
                         {renderer: renderer, color: col, weight: 6, opacity: 0.6})
            : L.polygon(ll, {renderer: renderer, color: col, weight: 1, fillColor: col,
                             fillOpacity: 0.3});
        shape.cpCluster = k;
        shape.addTo(layers.hulls);
    });
    /* marker sizes by role (centre, member, unassigned), shrunk while many
     * schools share the screen: at the first view of a country the dots
     * would otherwise cover each other */
    var RADIUS = [5.5, 3.5, 4], all = [], fitZoom = null;
    function sizeFactor() {
        var crowd = D.s.length > 5000 ? 0.35 : D.s.length > 1000 ? 0.6 : 1;
        var z = fitZoom === null ? 0 : map.getZoom() - fitZoom;
        return Math.min(1, Math.max(crowd, crowd + z / 4));
    }
    var segments = [];
    D.s.forEach(function (s, i) {
        var k = s[3], centre, marker;
        if (s[2] === 1 && k >= 0 && D.c[k][1] >= 0) {
            centre = D.s[D.c[k][1]];
            segments.push(D.r[i] ? latlngs(D.r[i])
                                 : [[s[0], s[1]], [centre[0], centre[1]]]);
        }
        marker = L.circleMarker([s[0], s[1]], {
            renderer: renderer,
            radius: RADIUS[s[2]],
            color: s[2] === 0 ? '#000' : s[2] === 2 ? '#600' : colourOf(k),
            weight: s[2] === 1 ? 0.5 : 1.5,
            fillColor: colourOf(k),
            fillOpacity: 0.9
        });
        marker.cpSchool = i;
        all.push(marker);
        marker.addTo(s[2] === 0 ? layers.centres : s[2] === 1 ? layers.members : layers.unassigned);
    });
    var routed = Object.keys(D.r).length > 0;
    if (D.n.length)
        L.polyline(D.n.map(function (e) { return [[e[0], e[1]], [e[2], e[3]]]; }),
                   {renderer: renderer, color: '#c8b88a', weight: 1.5, opacity: 0.8,
                    interactive: false}).addTo(layers.roads);
    if (segments.length)
        L.polyline(segments, {renderer: renderer, color: routed ? '#333' : '#777',
                              weight: routed ? 1.5 : 1, opacity: routed ? 0.9 : 0.7,
                              interactive: false}).addTo(layers.links);
    /* unassigned schools on top (they are the planner's to-do list), but
     * beneath the clustered ones above 5,000 schools, where a few red dots
     * on top would hide every cluster of a dense region; admin units shown at
     * first only where they are few enough to read (the layer control
     * turns them on) */
    (D.s.length <= 5000 ? ['roads', 'units', 'hulls', 'links', 'members', 'centres', 'unassigned']
                        : ['roads', 'units', 'hulls', 'links', 'unassigned', 'members', 'centres']
    ).forEach(function (name) {
        if (name !== 'units' || D.u.length <= 200)
            layers[name].addTo(map);
    });

    function describe(i) {
        var s = D.s[i], k = s[3], html = '<b>' + esc(D.id[i]) + '</b> ' + esc(D.name[i]) + '<br>';
        var role = ['cluster centre', 'member school', 'unassigned school'][s[2]];
        html += role;
        if (k >= 0) {
            html += ' of cluster <b>' + esc(D.c[k][0]) + '</b> (' + D.c[k][3] + ' schools)';
            if (s[2] === 1 && D.c[k][1] >= 0)
                html += '<br>centre ' + esc(D.id[D.c[k][1]]) + ' ' + esc(D.name[D.c[k][1]]) +
                        '<br>distance to it ' + s[4] + ' ' + esc(D.units);
        }
        if (s[5] !== null)
            html += '<br>teachers ' + s[5];
        if (s[2] === 2)
            html += '<br>why: ' + esc(D.why[i] || 'not in the layout');
        if (s[6])
            html += '<br><b>likely coordinate error</b>: far from the rest of its admin unit';
        return html;
    }
    function open(i) {
        L.popup({maxWidth: 360}).setLatLng([D.s[i][0], D.s[i][1]]).setContent(describe(i))
            .openOn(map);
    }
    ['centres', 'members', 'unassigned'].forEach(function (name) {
        layers[name].on('click', function (e) { open(e.layer.cpSchool); });
    });

    var overlays = {'cluster centres': layers.centres, 'member schools': layers.members};
    overlays[routed ? 'member to centre (route by road)' : 'member to centre'] = layers.links;
    overlays['unassigned schools'] = layers.unassigned;
    overlays['cluster areas (hulls)'] = layers.hulls;
    overlays['admin units of the rule (hulls of their schools)'] = layers.units;
    if (D.n.length)
        overlays['roads (the road layer)'] = layers.roads;
    L.control.layers(null, overlays, {collapsed: false, position: 'topright'}).addTo(map);

    var Search = L.Control.extend({
        onAdd: function () {
            var box = L.DomUtil.create('div', 'cp-search'), input, list;
            box.innerHTML = '<input type="search" placeholder="find a school: name or id" ' +
                            'aria-label="find a school"><div class="cp-hits"></div>';
            input = box.firstChild;
            list = box.lastChild;
            L.DomEvent.disableClickPropagation(box);
            input.addEventListener('input', function () {
                var q = input.value.trim().toLowerCase(), hits = [], i;
                for (i = 0; q.length >= 2 && i < D.s.length && hits.length < 8; i++)
                    if (D.id[i].toLowerCase() === q || D.name[i].toLowerCase().indexOf(q) >= 0 ||
                        D.id[i].toLowerCase().indexOf(q) === 0)
                        hits.push(i);
                list.innerHTML = hits.map(function (h) {
                    return '<button type="button" data-i="' + h + '">' + esc(D.id[h]) + ' ' +
                           esc(D.name[h]) + '</button>';
                }).join('') || (q.length >= 2 ? '<span>no school matches</span>' : '');
            });
            list.addEventListener('click', function (e) {
                var i = e.target.getAttribute('data-i');
                if (i === null)
                    return;
                i = +i;
                map.setView([D.s[i][0], D.s[i][1]], Math.max(map.getZoom(), D.geo ? 14 : 2));
                open(i);
            });
            return box;
        }
    });
    new Search({position: 'topleft'}).addTo(map);

    /* the initial view: every school but the likely coordinate errors */
    var bounds = L.latLngBounds([]);
    D.s.forEach(function (s) {
        if (!s[6])
            bounds.extend([s[0], s[1]]);
    });
    if (bounds.isValid())
        map.fitBounds(bounds, {padding: [12, 12]});
    else
        map.setView([0, 0], 2);
    fitZoom = map.getZoom();
    function resize() {
        var f = sizeFactor();
        all.forEach(function (m) {
            m.setRadius(RADIUS[D.s[m.cpSchool][2]] * f);
            m.setStyle({weight: (D.s[m.cpSchool][2] === 1 ? 0.5 : 1.5) * f});
        });
    }
    resize();
    map.on('zoomend', resize);
    if (D.geo)
        L.control.scale({imperial: false}).addTo(map);

    var counts = [0, 0, 0];
    D.s.forEach(function (s) { counts[s[2]]++; });
    var Legend = L.Control.extend({
        onAdd: function () {
            var box = L.DomUtil.create('div', 'cp-legend');
            box.innerHTML =
                '<span class="cp-dot" style="background:#1f77b4;border:2px solid #000"></span>' +
                'cluster centre: ' + D.c.filter(function (c) { return c[3] > 0; }).length +
                ' clusters<br><span class="cp-dot" style="background:#ff7f0e;width:8px;' +
                'height:8px"></span>member school: ' + counts[1] +
                '<br><span class="cp-dot" style="background:#d62728;border:2px solid #600">' +
                '</span>unassigned school: ' + counts[2];
            return box;
        }
    });
    new Legend({position: 'bottomleft'}).addTo(map);

    window.cpMap = map;
    window.cpLayers = layers;
    window.cpData = D;
}());
