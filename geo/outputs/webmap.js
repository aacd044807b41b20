/* georange map helpers: a WGS84 geodesic measuring tool and a hook for tests.
 *
 * window.georange.distance(lat1, lon1, lat2, lon2) returns the WGS84
 * geodesic distance in metres by Vincenty's inverse formula (agrees with
 * GeographicLib to well under a millimetre), or NaN for nearly antipodal
 * points where the iteration does not converge; the measuring tool then
 * shows a spherical estimate marked as approximate.
 */
(function () {
  "use strict";
  var A = 6378137.0, F = 1 / 298.257223563, B = A * (1 - F), RAD = Math.PI / 180;

  function vincenty(lat1, lon1, lat2, lon2) {
    var L = (lon2 - lon1) * RAD;
    var U1 = Math.atan((1 - F) * Math.tan(lat1 * RAD)), U2 = Math.atan((1 - F) * Math.tan(lat2 * RAD));
    var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var lambda = L, prev, iter = 0, sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM;
    do {
      var sinL = Math.sin(lambda), cosL = Math.cos(lambda);
      var t1 = cosU2 * sinL, t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosL;
      sinSigma = Math.sqrt(t1 * t1 + t2 * t2);
      if (sinSigma === 0) { return 0; }
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
    if (iter >= 500) { return NaN; }
    var uSq = cos2Alpha * (A * A - B * B) / (B * B);
    var bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
    var bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
    var c2 = cos2SigmaM * cos2SigmaM;
    var dSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * c2) -
      bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * c2)));
    return B * bigA * (sigma - dSigma);
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

  window.georange = window.georange || {};
  window.georange.distance = vincenty;
  window.georange.Measure = Measure;
})();
