/* georange map helpers: the map's plane, a WGS84 geodesic measuring tool,
 * a scale bar, label placement, the first view, and a hook for tests.
 *
 * window.georange.distance(lat1, lon1, lat2, lon2) returns the WGS84
 * geodesic distance in metres by Vincenty's inverse formula (agrees with
 * GeographicLib to well under a millimetre), or NaN for nearly antipodal
 * points where the iteration does not converge; the measuring tool then
 * shows a spherical estimate marked as approximate.
 *
 * The plane (georange.setFrame): an azimuthal equidistant projection on
 * WGS84 centred on the launch, as a Leaflet CRS. Python projects every
 * vertex exactly (PROJ aeqd, GeographicLib) and the page receives plane
 * metres; georange.ll(x, y) turns them into a LatLng (Vincenty's direct
 * formula, converging everywhere) that remembers its exact plane point, so
 * Leaflet draws the vertices Python computed. Other LatLngs (a click, a
 * measured path, setView([lat, lon])) are projected with Vincenty's inverse
 * formula: distance and azimuth from the centre.
 */
(function () {
  "use strict";
  var A = 6378137.0, F = 1 / 298.257223563, B = A * (1 - F), RAD = Math.PI / 180;

  /* Vincenty's inverse formula: distance s (m) and initial azimuth az (radians) from point 1 to point 2;
   * s is NaN for nearly antipodal points where the iteration does not converge. */
  function inverse(lat1, lon1, lat2, lon2) {
    var L = (lon2 - lon1) * RAD;
    var U1 = Math.atan((1 - F) * Math.tan(clampLat(lat1) * RAD)), U2 = Math.atan((1 - F) * Math.tan(clampLat(lat2) * RAD));
    var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var lambda = L, prev, iter = 0, sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM;
    do {
      var sinL = Math.sin(lambda), cosL = Math.cos(lambda);
      var t1 = cosU2 * sinL, t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosL;
      sinSigma = Math.sqrt(t1 * t1 + t2 * t2);
      if (sinSigma === 0) { return { s: 0, az: 0 }; }
      cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
      sigma = Math.atan2(sinSigma, cosSigma);
      var sinAlpha = cosU1 * cosU2 * sinL / sinSigma;
      cos2Alpha = 1 - sinAlpha * sinAlpha;
      cos2SigmaM = cos2Alpha !== 0 ? cosSigma - 2 * sinU1 * sinU2 / cos2Alpha : 0;
      var C = F / 16 * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
      prev = lambda;
      lambda = L + (1 - C) * F * sinAlpha *
        (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    } while (Math.abs(lambda - prev) > 1e-12 && ++iter < 500);
    var az = Math.atan2(cosU2 * Math.sin(lambda), cosU1 * sinU2 - sinU1 * cosU2 * Math.cos(lambda));
    if (iter >= 500) { return { s: NaN, az: az }; }
    var uSq = cos2Alpha * (A * A - B * B) / (B * B);
    var bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
    var bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
    var c2 = cos2SigmaM * cos2SigmaM;
    var dSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * c2) -
      bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * c2)));
    return { s: B * bigA * (sigma - dSigma), az: az };
  }

  function vincenty(lat1, lon1, lat2, lon2) { return inverse(lat1, lon1, lat2, lon2).s; }

  function clampLat(lat) { return Math.max(-89.999999999, Math.min(89.999999999, lat)); }

  /* The point at distance s (m) and azimuth az (radians) from (lat1, lon1): Vincenty's direct formula. */
  function direct(lat1, lon1, az, s) {
    var sinA1 = Math.sin(az), cosA1 = Math.cos(az);
    var tanU1 = (1 - F) * Math.tan(clampLat(lat1) * RAD), cosU1 = 1 / Math.sqrt(1 + tanU1 * tanU1), sinU1 = tanU1 * cosU1;
    var sigma1 = Math.atan2(tanU1, cosA1), sinAlpha = cosU1 * sinA1, cos2Alpha = 1 - sinAlpha * sinAlpha;
    var uSq = cos2Alpha * (A * A - B * B) / (B * B);
    var bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
    var bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
    var sigma = s / (B * bigA), prev, iter = 0, cos2SigmaM, sinSigma, cosSigma;
    do {
      cos2SigmaM = Math.cos(2 * sigma1 + sigma);
      sinSigma = Math.sin(sigma); cosSigma = Math.cos(sigma);
      var c2 = cos2SigmaM * cos2SigmaM;
      var dSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * c2) -
        bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * c2)));
      prev = sigma;
      sigma = s / (B * bigA) + dSigma;
    } while (Math.abs(sigma - prev) > 1e-12 && ++iter < 200);
    sinSigma = Math.sin(sigma); cosSigma = Math.cos(sigma); cos2SigmaM = Math.cos(2 * sigma1 + sigma);
    var x = sinU1 * sinSigma - cosU1 * cosSigma * cosA1;
    var lat2 = Math.atan2(sinU1 * cosSigma + cosU1 * sinSigma * cosA1, (1 - F) * Math.sqrt(sinAlpha * sinAlpha + x * x));
    var lambda = Math.atan2(sinSigma * sinA1, cosU1 * cosSigma - sinU1 * sinSigma * cosA1);
    var C = F / 16 * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    var L = lambda - (1 - C) * F * sinAlpha *
      (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    var lon2 = lon1 + L / RAD;
    lon2 = ((lon2 + 540) % 360) - 180;
    return [lat2 / RAD, lon2];
  }

  /* A Leaflet CRS for the azimuthal equidistant plane centred on (lat0, lon0); res0 metres per pixel at zoom 0. */
  function aeqdCrs(lat0, lon0, res0) {
    var projection = {
      project: function (ll) {
        if (!ll._georangeXY) {
          var r = inverse(lat0, lon0, ll.lat, ll.lng), s = r.s;
          if (isNaN(s)) { s = spherical(L.latLng(lat0, lon0), ll); }
          ll._georangeXY = [s * Math.sin(r.az), s * Math.cos(r.az)];
        }
        return L.point(ll._georangeXY[0], ll._georangeXY[1]);
      },
      unproject: function (p) {
        var s = Math.sqrt(p.x * p.x + p.y * p.y), ll;
        if (s === 0) { ll = L.latLng(lat0, lon0); } else {
          var d = direct(lat0, lon0, Math.atan2(p.x, p.y), s);
          ll = L.latLng(d[0], d[1]);
        }
        ll._georangeXY = [p.x, p.y];
        return ll;
      },
      bounds: L.bounds([-20037508, -20037508], [20037508, 20037508])
    };
    return L.extend({}, L.CRS, {
      code: "georange:aeqd",
      projection: projection,
      transformation: new L.Transformation(1, 0, -1, 0),
      scale: function (zoom) { return Math.pow(2, zoom) / res0; },
      zoom: function (scale) { return Math.log(scale * res0) / Math.LN2; },
      distance: function (a, b) {
        var d = vincenty(a.lat, a.lng, b.lat, b.lng);
        return isNaN(d) ? spherical(a, b) : d;
      },
      infinite: true
    });
  }

  var frame = { kind: "mercator" };

  /* Set the map's plane; called in the page head, before the map is made (its crs is L.CRS.Georange). */
  function setFrame(f) {
    frame = f;
    if (f.kind === "aeqd") { L.CRS.Georange = aeqdCrs(f.lat0, f.lon0, f.res0); }
    window.georange.frame = f;
  }

  /* A LatLng from frame coordinates: plane metres (aeqd) or [lon, lat] (mercator). */
  function ll(x, y) {
    return frame.kind === "aeqd" ? L.CRS.Georange.projection.unproject(L.point(x, y)) : L.latLng(y, x);
  }

  /* Fit frame bounds [[xmin, ymin], [xmax, ymax]] in the part of the map the controls leave free. */
  function fit(map, b) {
    var size = map.getSize(), pad = freeArea(map);
    var w = Math.max(40, size.x - pad.left - pad.right), h = Math.max(40, size.y - pad.top - pad.bottom);
    if (frame.kind !== "aeqd") {
      map.fitBounds([[b[0][1], b[0][0]], [b[1][1], b[1][0]]], { animate: false,
        paddingTopLeft: [pad.left, pad.top], paddingBottomRight: [pad.right, pad.bottom] });
      return;
    }
    var dx = Math.max(b[1][0] - b[0][0], 1), dy = Math.max(b[1][1] - b[0][1], 1);
    var scale = Math.min(w / dx, h / dy), zoom = map.options.crs.zoom(scale);
    zoom = Math.max(map.getMinZoom(), Math.min(map.getMaxZoom(), zoom));
    scale = map.options.crs.scale(zoom);
    // Centre of the free area, in plane metres, relative to the centre of the map container.
    var cx = (b[0][0] + b[1][0]) / 2 + ((pad.right - pad.left) / 2) / scale;
    var cy = (b[0][1] + b[1][1]) / 2 - ((pad.bottom - pad.top) / 2) / scale;
    map.setView(ll(cx, cy), zoom, { animate: false });
  }

  /* Room taken by the controls: each is kept clear as a side column or as a top or bottom band,
   * whichever leaves the larger free area. */
  function freeArea(map) {
    var box = map.getContainer().getBoundingClientRect(), pad = { left: 12, right: 12, top: 12, bottom: 12 };
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (!r.width) { return; }
      var corner = el.parentNode.className, left = corner.indexOf("leaflet-left") >= 0;
      var top = corner.indexOf("leaflet-top") >= 0;
      var side = (left ? r.right - box.left : box.right - r.left) + 8;
      var band = (top ? r.bottom - box.top : box.bottom - r.top) + 8;
      if (side * box.height <= band * box.width) {
        if (left) { pad.left = Math.max(pad.left, side); } else { pad.right = Math.max(pad.right, side); }
      } else if (top) { pad.top = Math.max(pad.top, band); } else { pad.bottom = Math.max(pad.bottom, band); }
    });
    return pad;
  }

  function unit(ll) {
    var la = ll.lat * RAD, lo = ll.lng * RAD;
    return [Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)];
  }

  /* Points along the great circle from p to q (for drawing only; the distance is Vincenty's). */
  function greatCircle(p, q) {
    var u = unit(p), v = unit(q);
    var dot = Math.max(-1, Math.min(1, u[0] * v[0] + u[1] * v[1] + u[2] * v[2]));
    var omega = Math.acos(dot), n = Math.max(1, Math.ceil(omega / (RAD * 0.5))), out = [];
    var lng = p.lng;
    for (var i = 0; i <= n; i++) {
      var t = i / n, s = Math.sin(omega), a = s ? Math.sin((1 - t) * omega) / s : 1 - t, b = s ? Math.sin(t * omega) / s : t;
      var x = a * u[0] + b * v[0], y = a * u[1] + b * v[1], z = a * u[2] + b * v[2];
      var next = Math.atan2(y, x) / RAD;
      while (next - lng > 180) { next -= 360; }
      while (next - lng < -180) { next += 360; }
      lng = next;
      out.push([Math.atan2(z, Math.sqrt(x * x + y * y)) / RAD, lng]);
    }
    return out;
  }

  function spherical(p, q) {
    var u = unit(p), v = unit(q);
    return 6371008.8 * Math.acos(Math.max(-1, Math.min(1, u[0] * v[0] + u[1] * v[1] + u[2] * v[2])));
  }

  function format(m) {
    return (m / 1000).toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " km";
  }

  var Measure = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function (map) {
      var box = L.DomUtil.create("div", "leaflet-bar georange-measure");
      var button = L.DomUtil.create("a", "", box);
      button.href = "#";
      button.title = "Measure a WGS84 geodesic distance: click points on the map; click here again to finish";
      button.setAttribute("role", "button");
      button.textContent = "\u2194";
      this._readout = L.DomUtil.create("div", "georange-measure-readout", box);
      this._map = map;
      this._points = [];
      this._line = L.polyline([], { color: "#111", weight: 2, dashArray: "6 4", interactive: false });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.on(button, "click", function (e) { L.DomEvent.preventDefault(e); this.toggle(); }, this);
      return box;
    },
    toggle: function () {
      var map = this._map;
      this._active = !this._active;
      L.DomUtil[this._active ? "addClass" : "removeClass"](this.getContainer(), "georange-measure-active");
      if (this._active) {
        this._points = [];
        this._line.setLatLngs([]).addTo(map);
        map.on("click", this._add, this);
        map.doubleClickZoom.disable();
        this._show("Click points on the map");
      } else {
        map.off("click", this._add, this);
        map.doubleClickZoom.enable();
        this._line.remove();
        this._show("");
      }
    },
    _add: function (e) {
      this._points.push(e.latlng);
      this._redraw();
    },
    total: function () {
      var sum = 0, approx = false, pts = this._points;
      for (var i = 1; i < pts.length; i++) {
        var d = vincenty(pts[i - 1].lat, pts[i - 1].lng, pts[i].lat, pts[i].lng);
        if (isNaN(d)) { d = spherical(pts[i - 1], pts[i]); approx = true; }
        sum += d;
      }
      return { metres: sum, approximate: approx };
    },
    _redraw: function () {
      var pts = this._points, path = pts.length ? [[pts[0].lat, pts[0].lng]] : [];
      for (var i = 1; i < pts.length; i++) { path = path.concat(greatCircle(pts[i - 1], pts[i]).slice(1)); }
      this._line.setLatLngs(path);
      var t = this.total();
      this._show(pts.length < 2 ? "Click the next point" :
        (t.approximate ? "about " : "") + format(t.metres) + " (WGS84 geodesic, " + (pts.length - 1) + " leg" +
        (pts.length > 2 ? "s" : "") + ")");
    },
    _show: function (text) {
      this._readout.textContent = text;
      this._readout.style.display = text ? "block" : "none";
    }
  });

  /* A scale bar that says where it is true. */
  var Scale = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function (map) {
      var box = L.DomUtil.create("div", "georange-scale");
      this._bar = L.DomUtil.create("div", "georange-scale-bar", box);
      this._text = L.DomUtil.create("div", "georange-scale-text", box);
      this._note = L.DomUtil.create("div", "georange-scale-note", box);
      map.on("zoomend moveend", this._update, this);
      this._map = map;
      this._update();
      return box;
    },
    _update: function () {
      var map = this._map, metres;
      if (frame.kind === "aeqd") {
        metres = 1 / map.options.crs.scale(map.getZoom());
      } else {
        metres = 40075016.686 * Math.cos(map.getCenter().lat * RAD) / (256 * Math.pow(2, map.getZoom()));
      }
      var target = 110 * metres, power = Math.pow(10, Math.floor(Math.log(target) / Math.LN10)), step = power;
      [1, 2, 5, 10].forEach(function (k) { if (k * power <= target) { step = k * power; } });
      this._bar.style.width = Math.round(step / metres) + "px";
      var label = step >= 1000 ? (step / 1000).toLocaleString("en-GB") + " km" : step + " m";
      this._text.textContent = label;
      this._note.textContent = frame.kind === "aeqd" ? "true along any line through " + frame.centre :
        "true at the latitude of the map centre";
    }
  });

  /* Labels placed by priority beside their point (right, left, above, below, then the diagonals) where
   * they overlap no control, marker or label placed before them. Others are hidden, except labels of
   * priority 3 or more (claim places, launches): they always show, at the spot with the least overlap. */
  function declutter(map) {
    var box = map.getContainer().getBoundingClientRect(), placed = [], labels = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width) { placed.push(r); }
    });
    map.eachLayer(function (layer) {
      if (layer.options && layer.options.georangeLabel && layer._icon) { labels.push(layer); }
      else if (layer instanceof L.CircleMarker && !(layer instanceof L.Circle) && layer._path) {
        placed.push(layer._path.getBoundingClientRect());  // markers, not the distance rings
      }
    });
    labels.sort(function (a, b) { return b.options.georangeLabel.priority - a.options.georangeLabel.priority; });
    function overlap(r, q) {
      return Math.max(0, Math.min(r.right, q.right) - Math.max(r.left, q.left)) *
        Math.max(0, Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top));
    }
    labels.forEach(function (layer) {
      var spec = layer.options.georangeLabel, el = layer._icon.firstChild, zoom = map.getZoom();
      el.style.visibility = "hidden";
      if (spec.minZoom !== undefined && spec.minZoom !== null && zoom < spec.minZoom) { return; }
      var p = layer._icon.getBoundingClientRect(), w = el.offsetWidth, h = el.offsetHeight, g = spec.gap || 0;
      var d = g * 0.75, spots = g ? [[g, -h / 2], [-g - w, -h / 2], [-w / 2, -g - h], [-w / 2, g],
        [d, -d - h], [d, d], [-d - w, -d - h], [-d - w, d]] : [[-w / 2, -h / 2]];
      var best = null, bestCost = Infinity;
      for (var i = 0; i < spots.length; i++) {
        var r = { left: p.left + spots[i][0], top: p.top + spots[i][1] };
        r.right = r.left + w; r.bottom = r.top + h;
        var outside = r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom;
        var cost = outside ? 1e12 : placed.reduce(function (sum, q) { return sum + overlap(r, q); }, 0);
        if (cost < bestCost) { best = [spots[i], r]; bestCost = cost; }
        if (cost === 0) { break; }
      }
      if (bestCost > 0 && (spec.priority < 3 || bestCost >= 1e12)) { return; }
      el.style.left = best[0][0] + "px";
      el.style.top = best[0][1] + "px";
      el.style.visibility = "visible";
      placed.push(best[1]);
    });
  }

  /* A label layer: text at a LatLng, placed by declutter. */
  function label(latlng, html, spec) {
    return L.marker(latlng, { icon: L.divIcon({ className: "georange-label-anchor", html: '<span class="' +
      (spec.css || "georange-label") + '">' + html + "</span>", iconSize: [0, 0], iconAnchor: [0, 0] }),
      interactive: false, keyboard: false, georangeLabel: spec });
  }

  /* The legend folds on small screens; the first view leaves room for the controls. */
  function setup(map, bounds) {
    var small = map.getSize().x < 700 || map.getSize().y < 560;
    if (frame.kind === "aeqd") { L.DomUtil.addClass(map.getContainer(), "georange-aeqd"); }
    if (small) {  // on a phone the layer list folds to its button too
      map.getContainer().querySelectorAll(".leaflet-control-layers-expanded").forEach(function (el) {
        L.DomUtil.removeClass(el, "leaflet-control-layers-expanded");
      });
    }
    map.getContainer().querySelectorAll("details.georange-legend").forEach(function (d) { d.open = !small; });
    fit(map, bounds);
    var again = function () { declutter(map); };
    map.on("zoomend moveend overlayadd overlayremove resize", again);
    map.getContainer().querySelectorAll("details.georange-legend").forEach(function (d) {
      d.addEventListener("toggle", again);
    });
    declutter(map);
  }

  window.georange = window.georange || {};
  window.georange.distance = vincenty;
  window.georange.direct = direct;
  window.georange.Measure = Measure;
  window.georange.Scale = Scale;
  window.georange.setFrame = setFrame;
  window.georange.ll = ll;
  window.georange.coords = function (c) { return ll(c[0], c[1]); };
  window.georange.fit = fit;
  window.georange.label = label;
  window.georange.declutter = declutter;
  window.georange.setup = setup;
  /* Show a layer only from a zoom on (the detailed coastlines). */
  window.georange.fromZoom = function (map, layer, zoom) {
    var update = function () {
      if (map.getZoom() >= zoom) { if (!map.hasLayer(layer)) { layer.addTo(map); } }
      else if (map.hasLayer(layer)) { map.removeLayer(layer); }
    };
    map.on("zoomend", update);
    map.whenReady(update);
  };
  window.georange.layers = {};  /* name (as shown in the layer list) -> layer, for tests and scripts */
})();
