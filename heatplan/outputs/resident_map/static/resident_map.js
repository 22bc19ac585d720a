/* heatplan residents' map: base map, addresses, answers, search, legend and shared links.
 *
 * Everything runs on the map's own data; no geocoder or other service is called. Every text
 * from the data reaches the page through textContent or a text node, never as HTML.
 * Coordinates arrive as integers (1e-5 degree) from an origin, delta-encoded (see encode.py).
 * The Leaflet map itself (its view, and the tile layer when one is configured) is made by the
 * page's folium script, which hands it to HeatplanResidentMap.start.
 */
(function () {
  "use strict";

  var SCALE = 100000;

  /* ---- small helpers ------------------------------------------------------------------ */

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : m;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function span(a, b) {
    if (a === null && b === null) { return null; }
    if (a === null) { return String(b); }
    if (b === null || a === b) { return String(a); }
    return a + "\u2013" + b;
  }

  /* Fold an address for matching: case, accents, spacing, punctuation, the Danish letters
   * (æ, ø, å and their spellings ae, oe, aa) and common abbreviations all compare equal. */
  function fold(text) {
    var s = String(text).toLowerCase();
    s = s.replace(/([a-zæøå])v\.(?=\s|,|$)/g, "$1vej").replace(/([a-zæøå])g\.(?=\s|,|$)/g, "$1gade");
    s = s.replace(/(^|\s)v\.(?=\s|,|$)/g, "$1vej").replace(/(^|\s)gl\.?(?=\s)/g, "$1gammel");
    s = s.replace(/(^|\s)ndr\.?(?=\s)/g, "$1nordre").replace(/(^|\s)sdr\.?(?=\s)/g, "$1søndre");
    s = s.replace(/(^|\s)pl\.(?=\s|,|$)/g, "$1plads");
    s = s.replace(/æ/g, "a").replace(/ø/g, "o").replace(/å/g, "a");
    s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    s = s.replace(/aa/g, "a").replace(/ae/g, "a").replace(/oe/g, "o");
    s = s.replace(/(\d)\s+([a-z])(?=\s|$)/g, "$1$2");
    return s.replace(/[^a-z0-9]+/g, " ").trim();
  }

  var collator = window.Intl ? new Intl.Collator("da", {numeric: true}) : null;
  function naturalOrder(a, b) {
    if (collator) { return collator.compare(a, b); }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function levenshtein(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) { prev.push(j); }
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1,
          prev[j - 1] + (a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1)));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  function svgSymbol(shape, color, size) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", size); svg.setAttribute("height", size);
    svg.setAttribute("viewBox", "0 0 20 20"); svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var node;
    if (shape === "square") {
      node = document.createElementNS(ns, "rect");
      node.setAttribute("x", 4); node.setAttribute("y", 4);
      node.setAttribute("width", 12); node.setAttribute("height", 12);
    } else if (shape === "diamond") {
      node = document.createElementNS(ns, "path");
      node.setAttribute("d", "M10 2 L18 10 L10 18 L2 10 Z");
    } else if (shape === "line" || shape === "dash") {
      node = document.createElementNS(ns, "path");
      node.setAttribute("d", "M1 10 L19 10");
      node.setAttribute("stroke-width", 4);
      if (shape === "dash") { node.setAttribute("stroke-dasharray", "4 3"); }
    } else if (shape === "area" || shape === "area-dash" || shape === "area-dot") {
      node = document.createElementNS(ns, "rect");
      node.setAttribute("x", 2); node.setAttribute("y", 4);
      node.setAttribute("width", 16); node.setAttribute("height", 12);
      node.setAttribute("stroke-width", 2);
      if (shape === "area-dash") { node.setAttribute("stroke-dasharray", "4 2"); }
      if (shape === "area-dot") { node.setAttribute("stroke-dasharray", "1.5 2"); }
    } else {
      node = document.createElementNS(ns, "circle");
      node.setAttribute("cx", 10); node.setAttribute("cy", 10);
      node.setAttribute("r", shape === "dot" ? 4 : 7);
    }
    if (shape === "line" || shape === "dash") {
      node.setAttribute("stroke", color); node.setAttribute("fill", "none");
    } else if (shape.indexOf("area") === 0) {
      node.setAttribute("stroke", color); node.setAttribute("fill", color);
      node.setAttribute("fill-opacity", "0.15");
    } else if (shape === "ring") {
      node.setAttribute("stroke", color); node.setAttribute("stroke-width", 3);
      node.setAttribute("fill", "#ffffff");
    } else {
      node.setAttribute("fill", color); node.setAttribute("stroke", "#1a1a1a");
      node.setAttribute("stroke-width", 1.2);
    }
    svg.appendChild(node);
    return svg;
  }

  /* Draw a marker of `shape` at x, y with radius r on a 2D context. */
  function drawMarker(ctx, shape, x, y, r) {
    if (shape === "square") {
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
    } else if (shape === "diamond") {
      ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r * 1.15, y);
      ctx.lineTo(x, y + r * 1.15); ctx.lineTo(x - r * 1.15, y); ctx.closePath();
    } else {
      ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  /* ---- a canvas layer redrawn on every move ------------------------------------------- */

  var CanvasLayer = L.Layer.extend({
    initialize: function (draw, pane) {
      this._draw = draw;
      this.options.pane = pane;
    },
    onAdd: function () {
      this._canvas = L.DomUtil.create("canvas", "hp-canvas leaflet-zoom-animated");
      this._canvas.setAttribute("aria-hidden", "true");
      this.getPane().appendChild(this._canvas);
      this.redraw();
    },
    onRemove: function () {
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
    },
    getEvents: function () {
      return {moveend: this.redraw, viewreset: this.redraw, resize: this.redraw,
        zoomanim: this._animateZoom};
    },
    _animateZoom: function (e) {
      var scale = this._map.getZoomScale(e.zoom, this._zoom);
      var offset = this._map._latLngToNewLayerPoint(this._topLeftLatLng, e.zoom, e.center);
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },
    redraw: function () {
      var map = this._map;
      if (!map || !this._canvas) { return; }
      var size = map.getSize();
      var pad = size.multiplyBy(0.3).round();
      var topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1)).round();
      var full = size.add(pad.multiplyBy(2));
      var ratio = window.devicePixelRatio || 1;
      var canvas = this._canvas;
      canvas.width = Math.round(full.x * ratio);
      canvas.height = Math.round(full.y * ratio);
      canvas.style.width = full.x + "px";
      canvas.style.height = full.y + "px";
      L.DomUtil.setPosition(canvas, topLeft);
      this._zoom = map.getZoom();
      this._topLeftLatLng = map.layerPointToLatLng(topLeft);
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, full.x, full.y);
      this._draw(ctx, {map: map, topLeft: topLeft, size: full, zoom: this._zoom});
    }
  });

  /* ---- the map --------------------------------------------------------------------------- */

  /* map: the Leaflet map folium made (its view already fitted to the plan); tiles: the optional
     tile layer folium added to it, or null */
  function ResidentMap(map, tiles, data) {
    this.map = map;
    this.tiles = tiles || null;
    this.data = data;
    this.t = data.t;
    this.lat0 = data.origin[0];
    this.lon0 = data.origin[1];
    /* every loaded address: arrays indexed by point number */
    this.P = {lat: [], lon: [], s: [], n: [], pc: [], p: [], m: {}};
    this.byClass = data.classes.map(function () { return []; });
    this.entries = [];          /* search entries: one per distinct address label */
    this.entryOf = {};          /* label -> entry */
    this.chunkState = [];       /* undefined, "loading", "done" */
    this.chunkWaiters = {};
    this.streetCells = [];
    this.hidden = {};
    this.marked = null;
    var self = this;
    window.heatplanChunk = function (i, chunk) { self._addChunk(i, chunk); };
    this._map();
    this._layers();
    this._legend();
    this._search();
    this._panel();
    if (data.chunks) {
      for (var i = 0; i < data.chunks.length; i++) { this._addChunk(i, data.chunks[i]); }
      this.redrawAll();
    } else {
      this.map.on("moveend", function () { self._loadInView(); });
      this._loadInView();
    }
    window.addEventListener("hashchange", function () { self.openFromHash(); });
    this.openFromHash();
  }

  ResidentMap.prototype.ll = function (lat, lon) {
    return L.latLng(this.lat0 + lat / SCALE, this.lon0 + lon / SCALE);
  };

  ResidentMap.prototype._map = function () {
    var t = this.t;
    var map = this.map;
    L.control.zoom({position: "bottomright", zoomInTitle: t.zoom_in, zoomOutTitle: t.zoom_out})
      .addTo(map);
    L.control.scale({imperial: false, metric: true, position: "bottomright"}).addTo(map);
    map.attributionControl.addAttribution(el("span", null, this.data.attribution).innerHTML);
    var panes = [["hpBase", 250], ["hpLines", 390], ["hpPoints", 420], ["hpLabels", 430]];
    for (var i = 0; i < panes.length; i++) {
      map.createPane(panes[i][0]).style.zIndex = String(panes[i][1]);
    }
    map.getPane("hpLabels").style.pointerEvents = "none";
  };

  /* ---- layers: base map, pipes, points, labels ------------------------------------------ */

  ResidentMap.prototype._layers = function () {
    var self = this;
    var map = this.map;
    this.districtShapes = this.data.districts.map(function (d) {
      return d.rings.map(function (ring) { return self._decodePath(ring); });
    });
    this.base = new CanvasLayer(function (ctx, view) { self._drawBase(ctx, view); }, "hpBase");
    this.base.addTo(map);
    this.lineGroups = {mains: L.layerGroup(), network: L.layerGroup()};
    this.lineRenderer = L.canvas({pane: "hpLines"});
    this.lineGroups.mains.addTo(map);
    this.lineGroups.network.addTo(map);
    this.points = new CanvasLayer(function (ctx, view) { self._drawPoints(ctx, view); }, "hpPoints");
    this.points.addTo(map);
    this.labels = new CanvasLayer(function (ctx, view) { self._drawLabels(ctx, view); }, "hpLabels");
    this.labels.addTo(map);
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () { map.invalidateSize({pan: false}); })
        .observe(map.getContainer());
    }
    var tolerance = L.Browser.mobile ? 22 : 10;
    map.on("click", function (e) {
      var hit = self.pointAt(e.layerPoint, tolerance);
      if (hit !== null) { self._entries(); self.showEntry(self.entryOf[self.label(hit)], false); }
    });
    map.on("mousemove", function (e) {
      map.getContainer().style.cursor = self.pointAt(e.layerPoint, 6) === null ? "" : "pointer";
    });
  };

  ResidentMap.prototype._decodePath = function (flat) {
    var out = [], lat = 0, lon = 0;
    for (var i = 0; i < flat.length; i += 2) {
      lat += flat[i]; lon += flat[i + 1];
      out.push(this.ll(lat, lon));
    }
    return out;
  };

  ResidentMap.prototype.redrawAll = function () {
    this.base.redraw(); this.points.redraw(); this.labels.redraw();
  };

  ResidentMap.prototype._project = function (view, latlng) {
    var p = view.map.latLngToLayerPoint(latlng);
    return [p.x - view.topLeft.x, p.y - view.topLeft.y];
  };

  ResidentMap.prototype._tracePath = function (ctx, view, path, close) {
    for (var i = 0; i < path.length; i++) {
      var xy = this._project(view, path[i]);
      if (i === 0) { ctx.moveTo(xy[0], xy[1]); } else { ctx.lineTo(xy[0], xy[1]); }
    }
    if (close) { ctx.closePath(); }
  };

  ResidentMap.prototype._drawBase = function (ctx, view) {
    var self = this;
    var items = this.data.districts;
    var showAreas = !this.hidden.districts;
    if (!this.tiles || this.hidden.tiles) {
      ctx.fillStyle = "#f2efe9";
      ctx.fillRect(0, 0, view.size.x, view.size.y);
    }
    if (showAreas) {
      items.forEach(function (d, i) {
        ctx.beginPath();
        self.districtShapes[i].forEach(function (ring) { self._tracePath(ctx, view, ring, true); });
        ctx.globalAlpha = d.cls === "other" ? 0.05 : 0.16;
        ctx.fillStyle = d.color;
        ctx.fill("evenodd");
        ctx.globalAlpha = 1;
      });
    }
    if (!this.hidden.streets) { this._drawStreets(ctx, view); }
    if (showAreas) {
      items.forEach(function (d, i) {
        ctx.beginPath();
        self.districtShapes[i].forEach(function (ring) { self._tracePath(ctx, view, ring, true); });
        ctx.setLineDash(d.cls === "individual" ? [7, 5] : d.cls === "existing" ? [2, 4] : []);
        ctx.lineWidth = d.cls === "other" ? 1 : 2.5;
        ctx.strokeStyle = d.color;
        ctx.stroke();
        ctx.setLineDash([]);
      });
    }
  };

  ResidentMap.prototype._drawStreets = function (ctx, view) {
    var z = view.zoom;
    var widths = [[6, 4.5], [5, 3.5], [3.5, 2.2], [2, 1], [1.5, 0.8]];
    var grow = Math.max(0.6, Math.min(2.2, Math.pow(1.35, z - 15)));
    var cells = this.streetCells;
    for (var pass = 0; pass < 2; pass++) {
      for (var c = cells.length - 1; c >= 0; c--) {
        var cell = cells[c];
        for (var j = 0; j < cell.paths.length; j++) {
          var cls = cell.c[j];
          if (z < 13 && cls >= 2) { continue; }
          ctx.beginPath();
          this._tracePath(ctx, view, cell.paths[j], false);
          ctx.lineWidth = widths[cls][pass] * grow;
          ctx.strokeStyle = pass === 0 ? "#9a9a9a" : (cls >= 3 ? "#d6d1c7" : "#ffffff");
          ctx.lineJoin = "round"; ctx.lineCap = "round";
          ctx.stroke();
        }
      }
    }
  };

  ResidentMap.prototype._drawLabels = function (ctx, view) {
    var self = this;
    var z = view.zoom;
    var taken = [];
    function free(x, y, w, h) {
      for (var i = 0; i < taken.length; i++) {
        var o = taken[i];
        if (x < o[0] + o[2] && x + w > o[0] && y < o[1] + o[3] && y + h > o[1]) { return false; }
      }
      taken.push([x, y, w, h]);
      return true;
    }
    ctx.lineJoin = "round";
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    if (!this.hidden.districts && z < 16) {
      ctx.font = "600 13px system-ui, sans-serif";
      this.data.districts.forEach(function (d) {
        if (!d.at) { return; }
        var xy = self._project(view, self.ll(d.at[0], d.at[1]));
        var w = ctx.measureText(d.name).width;
        if (!free(xy[0] - w / 2 - 4, xy[1] - 9, w + 8, 18)) { return; }
        ctx.lineWidth = 4; ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.strokeText(d.name, xy[0], xy[1]);
        ctx.fillStyle = "#1a1a1a"; ctx.fillText(d.name, xy[0], xy[1]);
      });
    }
    if (this.hidden.streets || z < 15.5) { return; }
    ctx.font = "12px system-ui, sans-serif";
    var names = this.data.baseNames;
    var placed = {};
    this.streetCells.forEach(function (cell) {
      for (var j = 0; j < cell.paths.length; j++) {
        var name = names[cell.n[j]];
        if (cell.n[j] < 0 || !name) { continue; }
        var path = cell.paths[j];
        var best = null, bestLen = 0;
        for (var k = 1; k < path.length; k++) {
          var a = self._project(view, path[k - 1]), b = self._project(view, path[k]);
          var len = Math.hypot(b[0] - a[0], b[1] - a[1]);
          if (len > bestLen) { bestLen = len; best = [a, b]; }
        }
        var w = ctx.measureText(name).width;
        if (!best || bestLen < w * 0.8) { continue; }
        var mx = (best[0][0] + best[1][0]) / 2, my = (best[0][1] + best[1][1]) / 2;
        if (mx < 0 || my < 0 || mx > view.size.x || my > view.size.y) { continue; }
        var prev = placed[name];
        if (prev && Math.hypot(prev[0] - mx, prev[1] - my) < 300) { continue; }
        if (!free(mx - w / 2 - 2, my - 8, w + 4, 16)) { continue; }
        placed[name] = [mx, my];
        var angle = Math.atan2(best[1][1] - best[0][1], best[1][0] - best[0][0]);
        if (angle > Math.PI / 2) { angle -= Math.PI; }
        if (angle < -Math.PI / 2) { angle += Math.PI; }
        ctx.save(); ctx.translate(mx, my); ctx.rotate(angle);
        ctx.lineWidth = 3.5; ctx.strokeStyle = "rgba(255,255,255,0.95)";
        ctx.strokeText(name, 0, 0);
        ctx.fillStyle = "#333333"; ctx.fillText(name, 0, 0);
        ctx.restore();
      }
    });
  };

  ResidentMap.prototype._drawPoints = function (ctx, view) {
    var P = this.P;
    var classes = this.data.classes;
    var z = view.zoom;
    var r = z >= 17 ? 7 : z >= 16 ? 5.5 : z >= 15 ? 4.5 : z >= 14 ? 3.5 : z >= 13 ? 2.6 : 2;
    this.drawn = [];
    for (var c = 0; c < classes.length; c++) {
      var cls = classes[c];
      if (this.hidden["class:" + cls.key]) { continue; }
      var list = this.byClass[c];
      var rr = cls.shape === "dot" ? r * 0.7 : r;
      var drawn = [];
      ctx.beginPath();
      for (var j = 0; j < list.length; j++) {
        var i = list[j];
        var xy = this._project(view, L.latLng(P.lat[i], P.lon[i]));
        if (xy[0] < -rr || xy[1] < -rr || xy[0] > view.size.x + rr || xy[1] > view.size.y + rr) {
          continue;
        }
        drawMarker(ctx, cls.shape, xy[0], xy[1], rr);
        drawn.push(i, xy[0] + view.topLeft.x, xy[1] + view.topLeft.y);
      }
      if (cls.shape === "ring") {
        ctx.fillStyle = "#ffffff"; ctx.fill();
        ctx.lineWidth = z >= 15 ? 2.5 : z >= 13.5 ? 1.6 : 1; ctx.strokeStyle = cls.color; ctx.stroke();
      } else {
        ctx.fillStyle = cls.color; ctx.fill();
        if (z >= 13.5) { ctx.lineWidth = z >= 15 ? 1.2 : 0.6; ctx.strokeStyle = "#1a1a1a"; ctx.stroke(); }
      }
      if (cls.ph !== null && z >= 17) {
        ctx.font = "bold 9px system-ui, sans-serif";
        ctx.textAlign = "center"; ctx.textBaseline = "middle";
        ctx.fillStyle = c % 2 ? "#ffffff" : "#1a1a1a";
        for (var d = 0; d < drawn.length; d += 3) {
          ctx.fillText(String(cls.ph), drawn[d + 1] - view.topLeft.x, drawn[d + 2] - view.topLeft.y);
        }
      }
      this.drawn.push(drawn);
    }
    if (this.marked) { this._drawMark(ctx, view, r); }
  };

  ResidentMap.prototype._drawMark = function (ctx, view, r) {
    var P = this.P;
    var pts = this.marked.points;
    for (var k = 0; k < pts.length; k++) {
      var xy = this._project(view, L.latLng(P.lat[pts[k]], P.lon[pts[k]]));
      ctx.beginPath(); ctx.arc(xy[0], xy[1], r + 7, 0, 2 * Math.PI);
      ctx.lineWidth = 5; ctx.strokeStyle = "#ffffff"; ctx.stroke();
      ctx.lineWidth = 3; ctx.strokeStyle = "#000000"; ctx.stroke();
    }
  };

  /* The address point nearest a layer point, among those drawn; null if none within `tol` px. */
  ResidentMap.prototype.pointAt = function (layerPoint, tol) {
    var best = null, bestD = tol * tol;
    var lists = this.drawn || [];
    for (var c = 0; c < lists.length; c++) {
      var d = lists[c];
      for (var j = 0; j < d.length; j += 3) {
        var dx = d[j + 1] - layerPoint.x, dy = d[j + 2] - layerPoint.y;
        var dd = dx * dx + dy * dy;
        if (dd <= bestD) { bestD = dd; best = d[j]; }
      }
    }
    return best;
  };

  /* ---- data chunks ------------------------------------------------------------------------ */

  ResidentMap.prototype._addChunk = function (i, chunk) {
    if (this.chunkState[i] === "done") { return; }
    this.chunkState[i] = "done";
    var self = this;
    if (chunk.kind === "streets") {
      this.streetCells.push({n: chunk.n, c: chunk.c,
        paths: chunk.g.map(function (p) { return self._decodePath(p); })});
    } else if (chunk.kind === "lines") {
      chunk.specs.forEach(function (spec) {
        var paths = spec.paths.map(function (p) { return self._decodePath(p); });
        L.polyline(paths, {renderer: self.lineRenderer, interactive: false, color: spec.color,
          weight: spec.weight, opacity: 0.9, dashArray: spec.dash || null})
          .addTo(self.lineGroups[spec.group]);
      });
    } else {
      this._addPoints(chunk);
    }
    if (!this.data.chunks) { this._scheduleRedraw(); }
    var waiters = this.chunkWaiters[i] || [];
    delete this.chunkWaiters[i];
    for (var w = 0; w < waiters.length; w++) { waiters[w](); }
  };

  ResidentMap.prototype._addPoints = function (chunk) {
    var P = this.P, data = this.data;
    var lat = 0, lon = 0;
    var keys = data.money;
    for (var k = 0; k < keys.length; k++) { if (!P.m[keys[k]]) { P.m[keys[k]] = []; } }
    for (var j = 0; j < chunk.lat.length; j++) {
      lat += chunk.lat[j]; lon += chunk.lon[j];
      var i = P.lat.length;
      P.lat.push(this.lat0 + lat / SCALE);
      P.lon.push(this.lon0 + lon / SCALE);
      P.s.push(chunk.s[j]);
      P.n.push(String(chunk.n[j]));
      P.pc.push(chunk.pc ? chunk.pc[j] : chunk.pc1);
      P.p.push(chunk.p[j]);
      for (k = 0; k < keys.length; k++) {
        P.m[keys[k]].push(chunk[keys[k]] ? chunk[keys[k]][j] : null);
      }
      this.byClass[data.profiles[chunk.p[j]].c].push(i);
    }
  };

  /* Group the loaded addresses into search entries, one per label (built when first needed). */
  ResidentMap.prototype._entries = function () {
    var n = this.P.lat.length;
    for (var i = this.indexed || 0; i < n; i++) {
      var label = this.label(i);
      var entry = this.entryOf[label];
      if (!entry) {
        entry = {label: label, points: [], key: null};
        this.entryOf[label] = entry;
        this.entries.push(entry);
      }
      entry.points.push(i);
    }
    this.indexed = n;
    return this.entries;
  };

  ResidentMap.prototype._scheduleRedraw = function () {
    var self = this;
    if (this._redrawPending) { return; }
    this._redrawPending = true;
    window.requestAnimationFrame(function () { self._redrawPending = false; self.redrawAll(); });
  };

  /* Load chunk `i` (folder form) and call `done` when it is there. */
  ResidentMap.prototype.loadChunk = function (i, done) {
    if (this.chunkState[i] === "done") { if (done) { done(); } return; }
    if (done) { (this.chunkWaiters[i] = this.chunkWaiters[i] || []).push(done); }
    if (this.chunkState[i] === "loading") { return; }
    this.chunkState[i] = "loading";
    var script = document.createElement("script");
    script.src = this.data.chunkFiles[i];
    document.body.appendChild(script);
  };

  ResidentMap.prototype.loadChunks = function (list, done) {
    var left = list.length;
    if (!left) { done(); return; }
    for (var k = 0; k < list.length; k++) {
      this.loadChunk(list[k], function () { left -= 1; if (left === 0) { done(); } });
    }
  };

  ResidentMap.prototype._loadInView = function () {
    if (this.map.getZoom() < 12) { return; }
    var b = this.map.getBounds();
    var s = Math.round((b.getSouth() - this.lat0) * SCALE), n = Math.round((b.getNorth() - this.lat0) * SCALE);
    var w = Math.round((b.getWest() - this.lon0) * SCALE), e = Math.round((b.getEast() - this.lon0) * SCALE);
    var meta = this.data.chunkMeta;
    for (var i = 0; i < meta.length; i++) {
      var bb = meta[i].bbox;
      if (bb && bb[0] <= n && bb[2] >= s && bb[1] <= e && bb[3] >= w) { this.loadChunk(i); }
    }
  };

  /* ---- answers ------------------------------------------------------------------------------ */

  ResidentMap.prototype.label = function (i) {
    var P = this.P, d = this.data;
    var text = d.streetNames[P.s[i]] + (P.n[i] ? " " + P.n[i] : "");
    var pc = d.postcodes[P.pc[i]];
    return pc ? text + ", " + pc : text;
  };

  ResidentMap.prototype._panel = function () {
    var self = this;
    this.panel = document.getElementById("hp-answer");
    this.panelBody = this.panel.querySelector(".hp-answer-body");
    this.panel.querySelector(".hp-close").addEventListener("click", function () { self.closePanel(); });
    this.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { self.closePanel(); }
    });
    L.DomEvent.disableClickPropagation(this.panel);
    L.DomEvent.disableScrollPropagation(this.panel);
  };

  ResidentMap.prototype.closePanel = function () {
    this.panel.hidden = true;
    this.marked = null;
    this.points.redraw();
    document.getElementById("hp-q").focus();
  };

  /* Zoom to an address entry, mark it and show its answer; `focus` moves the keyboard there. */
  ResidentMap.prototype.showEntry = function (entry, focus) {
    if (!entry) { return; }
    var P = this.P;
    var i = entry.points[0];
    this.marked = entry;
    this.renderAnswer(entry);
    this.panel.hidden = false;
    var map = this.map;
    map.setView([P.lat[i], P.lon[i]], Math.max(map.getZoom(), 17), {animate: false});
    var size = map.getSize();
    var rect = this.panel.getBoundingClientRect();
    if (size.x < 700) {
      map.panBy([0, Math.min(rect.height, size.y * 0.7) / 2], {animate: false});
    } else {
      map.panBy([-Math.min(rect.width, size.x * 0.5) / 2, 0], {animate: false});
    }
    this.redrawAll();
    this._setHash(entry.label);
    if (focus) { document.getElementById("hp-answer-title").focus(); }
  };

  ResidentMap.prototype.renderAnswer = function (entry) {
    var t = this.t, body = this.panelBody;
    body.textContent = "";
    var title = el("h2", "hp-answer-title", entry.label);
    title.id = "hp-answer-title";
    title.tabIndex = -1;
    body.appendChild(title);
    var seen = {}, parts = [];
    for (var k = 0; k < entry.points.length; k++) {
      var i = entry.points[k];
      var key = this.P.p[i] + "|" + this._money(i).join(",");
      if (!seen[key]) { seen[key] = true; parts.push(i); }
    }
    if (parts.length > 1) { body.appendChild(el("p", "hp-several", fmt(t.several, {n: parts.length}))); }
    for (k = 0; k < parts.length; k++) { body.appendChild(this._answer(parts[k])); }
    body.appendChild(this._share(entry.label));
    if (t.disclaimer) { body.appendChild(el("p", "hp-note", t.disclaimer)); }
  };

  ResidentMap.prototype._money = function (i) {
    var keys = this.data.money, out = [];
    for (var k = 0; k < keys.length; k++) { out.push(this.P.m[keys[k]][i]); }
    return out;
  };

  ResidentMap.prototype._answer = function (i) {
    var t = this.t, data = this.data;
    var pr = data.profiles[this.P.p[i]];
    var cls = data.classes[pr.c];
    var box = el("div", "hp-answer-part hp-kind-" + pr.kind);
    var district = pr.d >= 0 ? data.districts[pr.d] : null;
    if (district) { box.appendChild(el("p", "hp-area", t.area + ": " + district.name)); }
    var head = el("h3", "hp-headline");
    head.appendChild(svgSymbol(cls.shape, cls.color, 22));
    var headText = t.kind[pr.kind];
    if (pr.kind === "planned") {
      headText = pr.ce !== null ? fmt(t.kind.planned, {year: pr.ce}) : t.kind.planned_open;
    }
    head.appendChild(el("span", null, headText));
    box.appendChild(head);
    this["_" + pr.kind](box, pr, district);
    this._moneyBlock(box, i);
    this._links(box, pr);
    return box;
  };

  ResidentMap.prototype._planned = function (box, pr) {
    var t = this.t, spans = this.data.phaseSpans;
    var phaseSpan = pr.ph !== null && spans[pr.ph] ? span(spans[pr.ph][0], spans[pr.ph][1]) : null;
    if (pr.ce !== null && phaseSpan) {
      box.appendChild(el("p", "hp-uncertain", fmt(t.uncertain, {phase: pr.ph, span: phaseSpan})));
    }
    box.appendChild(el("h4", null, t.steps_title));
    var list = el("ol", "hp-steps");
    list.appendChild(el("li", null, pr.oy !== null ? fmt(t.step_offer, {year: pr.oy, utility: t.utility})
      : fmt(t.step_offer_open, {utility: t.utility})));
    list.appendChild(el("li", null, t.step_signup));
    var dig = span(pr.cs, pr.ce);
    if (dig) { list.appendChild(el("li", null, fmt(t.step_dig, {span: dig}))); }
    if (pr.ce !== null) { list.appendChild(el("li", null, fmt(t.step_connect, {year: pr.ce}))); }
    box.appendChild(list);
    if (t.offer_note) { box.appendChild(el("p", null, t.offer_note)); }
    if (t.price_note) { box.appendChild(el("p", null, t.price_note)); }
  };

  ResidentMap.prototype._built = function (box, pr, district) {
    var t = this.t;
    var existing = district && district.cls === "existing";
    box.appendChild(el("p", null, existing || pr.ce === null ? t.built_text_existing
      : fmt(t.built_text, {year: pr.ce})));
    if (pr.oy !== null) { box.appendChild(el("p", null, fmt(t.step_offer, {year: pr.oy, utility: t.utility}))); }
    if (t.price_note) { box.appendChild(el("p", null, t.price_note)); }
  };

  ResidentMap.prototype._connected = function (box) {
    box.appendChild(el("p", null, this.t.connected_text));
  };

  ResidentMap.prototype._may_connect = function (box, pr, district) {
    var t = this.t;
    var text;
    if (district && district.cls === "existing") {
      text = t.may_existing;
    } else if (pr.ce !== null && pr.ce < this.data.firstYear) {
      text = fmt(t.may_built, {year: pr.ce});
    } else if (pr.ce !== null) {
      text = fmt(t.may_coming, {span: span(pr.cs, pr.ce), phase: pr.ph});
    }
    if (text) { box.appendChild(el("p", null, text)); }
    box.appendChild(el("p", null, t.may_text));
  };

  ResidentMap.prototype._why = function (box, pr) {
    var t = this.t;
    if (!pr.why.length) { return; }
    box.appendChild(el("h4", null, t.why_title));
    var list = el("ul", "hp-why");
    for (var k = 0; k < pr.why.length; k++) { list.appendChild(el("li", null, t.why[pr.why[k]])); }
    box.appendChild(list);
  };

  ResidentMap.prototype._individual = function (box, pr) {
    this._why(box, pr);
    box.appendChild(el("h4", null, this.t.what_title));
    box.appendChild(el("p", null, this.t.individual_what));
  };

  ResidentMap.prototype._none = function (box, pr) { this._why(box, pr); };

  ResidentMap.prototype._moneyBlock = function (box, i) {
    var t = this.t, data = this.data;
    var keys = {mf: t.money_fee, md: t.money_dh, mh: t.money_hp, mg: t.money_gas};
    var order = ["mf", "md", "mh", "mg"];
    var rows = [];
    for (var k = 0; k < order.length; k++) {
      var key = order[k];
      var values = this.P.m[key];
      if (values && values[i] !== null && values[i] !== undefined) { rows.push([keys[key], values[i]]); }
    }
    if (!rows.length) { return; }
    var section = el("section", "hp-money");
    section.appendChild(el("h4", null, t.money_title));
    section.appendChild(el("p", "hp-note", t.money_intro));
    var table = el("table", "hp-money-table");
    var locale = data.lang === "da" ? "da-DK" : "en-GB";
    for (k = 0; k < rows.length; k++) {
      var tr = el("tr");
      tr.appendChild(el("th", null, rows[k][0]));
      var amount = (rows[k][1] * 100).toLocaleString(locale);
      tr.appendChild(el("td", null, fmt(t.money_amount, {amount: amount})));
      table.appendChild(tr);
    }
    section.appendChild(table);
    if (data.assumptions.length) {
      var details = el("details", "hp-assumptions");
      details.appendChild(el("summary", null, t.money_assumptions));
      var list = el("ul");
      data.assumptions.forEach(function (a) {
        var li = el("li", null, a.name + ": " + a.value + (a.unit ? " " + a.unit : ""));
        if (a.source) { li.appendChild(el("span", "hp-source", " (" + t.money_source + ": " + a.source + ")")); }
        list.appendChild(li);
      });
      details.appendChild(list);
      section.appendChild(details);
    }
    box.appendChild(section);
  };

  ResidentMap.prototype._links = function (box, pr) {
    var links = this.data.links;
    var which = pr.kind === "individual" ? links.heat_pump
      : pr.kind === "none" ? links.municipality : links.utility;
    if (!which || !which.length) { return; }
    if (pr.kind !== "individual") { box.appendChild(el("h4", null, this.t.contact_title)); }
    box.appendChild(this._linkList(which));
  };

  ResidentMap.prototype._linkList = function (links) {
    var list = el("ul", "hp-links");
    for (var m = 0; m < links.length; m++) {
      var href = links[m].href;
      if (!/^(https?:|mailto:|tel:)/i.test(href)) { continue; }
      var li = el("li");
      var a = el("a", null, links[m].text);
      a.href = href;
      if (/^https?:/i.test(href)) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
      li.appendChild(a);
      list.appendChild(li);
    }
    return list;
  };

  /* ---- shared links ---------------------------------------------------------------------- */

  ResidentMap.prototype._hashKey = function () { return this.data.lang === "da" ? "adresse" : "address"; };

  ResidentMap.prototype._setHash = function (label) {
    var hash = "#" + this._hashKey() + "=" + encodeURIComponent(label);
    this._ownHash = hash;
    if (window.location.hash !== hash && window.history && window.history.replaceState) {
      try { window.history.replaceState(null, "", hash); } catch (err) { /* file: in some browsers */ }
    }
  };

  ResidentMap.prototype._share = function (label) {
    var t = this.t;
    var box = el("div", "hp-share");
    var id = "hp-share-link";
    var lab = el("label", null, t.share);
    lab.htmlFor = id;
    var input = el("input", "hp-share-input");
    input.id = id; input.readOnly = true; input.type = "text";
    input.value = window.location.href.split("#")[0] + "#" + this._hashKey() + "=" + encodeURIComponent(label);
    var button = el("button", "hp-button", t.share_copy);
    button.type = "button";
    var status = el("span", "hp-sr");
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      input.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(function () { status.textContent = t.share_copied; },
          function () { if (ok) { status.textContent = t.share_copied; } });
      } else if (ok) { status.textContent = t.share_copied; }
    });
    box.appendChild(lab); box.appendChild(input); box.appendChild(button); box.appendChild(status);
    return box;
  };

  ResidentMap.prototype.openFromHash = function () {
    var hash = window.location.hash;
    if (!hash || hash === this._ownHash) { return; }
    var m = /^#(?:adresse|address)=(.+)$/.exec(hash);
    if (!m) { return; }
    var label;
    try { label = decodeURIComponent(m[1]); } catch (err) { return; }
    var self = this;
    this.findAsync(label, function (hits) {
      var want = fold(label);
      var entry = hits.length ? hits[0] : null;
      for (var k = 0; k < hits.length; k++) {
        if (fold(hits[k].label) === want) { entry = hits[k]; break; }
      }
      if (entry) { self.searchInput.value = entry.label; self.showEntry(entry, false); }
    });
  };

  /* ---- search ------------------------------------------------------------------------------ */

  ResidentMap.prototype._key = function (entry) {
    if (!entry.key) {
      var key = fold(entry.label);
      entry.key = key; entry.compact = key.replace(/ /g, ""); entry.words = key.split(" ");
    }
    return entry;
  };

  /* Entries matching `query`, best first, at most `limit`. */
  ResidentMap.prototype.find = function (query, limit) {
    var q = fold(query);
    if (!q) { return []; }
    var tokens = q.split(" ");
    var compactQ = tokens.join("");
    var hits = [];
    this._entries();
    for (var i = 0; i < this.entries.length; i++) {
      var entry = this._key(this.entries[i]);
      var at = entry.compact.indexOf(compactQ);
      var score = 0;
      if (at >= 0) {
        score = at === 0 ? 20 : 10;
      } else {
        for (var j = 0; j < tokens.length; j++) {
          if (entry.compact.indexOf(tokens[j]) < 0) { break; }
        }
        if (j < tokens.length) { continue; }
      }
      for (var k = 0; k < tokens.length; k++) {
        var best = 0;
        for (var w = 0; w < entry.words.length; w++) {
          if (entry.words[w] === tokens[k]) { best = 3; break; }
          if (best < 1 && entry.words[w].indexOf(tokens[k]) === 0) { best = 1; }
        }
        score += best;
      }
      hits.push([score, entry]);
    }
    hits.sort(function (x, y) { return y[0] - x[0] || naturalOrder(x[1].label, y[1].label); });
    return hits.slice(0, limit).map(function (h) { return h[1]; });
  };

  /* Search after loading the chunks that hold streets matching the query (folder form). */
  ResidentMap.prototype.findAsync = function (query, done) {
    var self = this;
    if (this.data.chunks) { done(this.find(query, 8)); return; }
    var streets = this._streetsFor(query);
    var chunks = {};
    streets.slice(0, 40).forEach(function (s) {
      self.data.where[s].forEach(function (c) { chunks[c] = true; });
    });
    var list = Object.keys(chunks).map(Number).slice(0, 60);
    this.loadChunks(list, function () { done(self.find(query, 8)); });
  };

  /* Street positions whose folded name holds every word of the query that is not a number. */
  ResidentMap.prototype._streetsFor = function (query) {
    if (!this.streetKeys) {
      this.streetKeys = this.data.streetNames.map(function (n) { return fold(n).replace(/ /g, ""); });
    }
    var words = fold(query).split(" ").filter(function (w) { return w && !/^\d/.test(w); });
    var out = [];
    if (!words.length) { return out; }
    for (var s = 0; s < this.streetKeys.length; s++) {
      var key = this.streetKeys[s], all = true, any = false;
      for (var k = 0; k < words.length; k++) {
        if (key.indexOf(words[k]) >= 0) { any = true; } else if (k === 0) { all = false; }
      }
      if (all && any) { out.push(s); }
    }
    return out;
  };

  /* Street names close to the query's words (for "did you mean"), best first. */
  ResidentMap.prototype.nearStreets = function (query, limit) {
    var q = fold(query).replace(/\b\d+[a-z]?\b/g, "").replace(/ /g, "");
    if (q.length < 3) { return []; }
    this._streetsFor("");
    var scored = [];
    for (var s = 0; s < this.streetKeys.length; s++) {
      var key = this.streetKeys[s];
      var d = levenshtein(q, key.slice(0, Math.max(q.length, 1) + 2));
      d = Math.min(d, levenshtein(q, key));
      if (d <= Math.max(2, Math.floor(q.length / 3))) { scored.push([d, this.data.streetNames[s]]); }
    }
    scored.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : 1); });
    var out = [];
    for (var k = 0; k < scored.length && out.length < limit; k++) {
      if (out.indexOf(scored[k][1]) < 0) { out.push(scored[k][1]); }
    }
    return out;
  };

  /* Addresses on the query's street with the house numbers nearest the query's number. */
  ResidentMap.prototype.nearNumbers = function (query, limit) {
    var m = /^(.*?)\s*(\d+)[a-z]?\b/.exec(fold(query));
    if (!m || !m[1]) { return []; }
    var street = m[1].replace(/ /g, ""), wanted = Number(m[2]);
    var found = [];
    this._entries();
    for (var i = 0; i < this.entries.length; i++) {
      var entry = this._key(this.entries[i]);
      if (entry.compact.indexOf(street) !== 0) { continue; }
      var num = /\d+/.exec(entry.compact.slice(street.length));
      if (num) { found.push([Math.abs(Number(num[0]) - wanted), entry]); }
    }
    found.sort(function (a, b) { return a[0] - b[0] || naturalOrder(a[1].label, b[1].label); });
    return found.slice(0, limit).map(function (f) { return f[1]; });
  };

  ResidentMap.prototype._search = function () {
    var self = this, t = this.t;
    var input = document.getElementById("hp-q");
    var list = document.getElementById("hp-results");
    var status = document.getElementById("hp-status");
    var none = document.getElementById("hp-noresult");
    var current = [], active = -1, timer = null, serial = 0;
    this.searchInput = input;

    function close() {
      list.hidden = true; list.textContent = ""; current = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(entry) {
      close();
      none.hidden = true;
      input.value = entry.label;
      self.showEntry(entry, true);
    }
    function mark() {
      var items = list.querySelectorAll(".hp-result");
      for (var r = 0; r < items.length; r++) {
        var on = r === active;
        items[r].classList.toggle("hp-active", on);
        items[r].setAttribute("aria-selected", on ? "true" : "false");
      }
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function noResult(q) {
      none.textContent = "";
      none.appendChild(el("p", "hp-noresult-title", fmt(t.no_result, {query: q})));
      var numbers = self.nearNumbers(q, 3);
      var near = numbers.length ? [] : self.nearStreets(q, 3);
      if (numbers.length) {
        none.appendChild(el("p", null, t.did_you_mean));
        var ol = el("ul", "hp-suggestions");
        numbers.forEach(function (entry) {
          var li = el("li");
          var b = el("button", "hp-button hp-suggestion", entry.label);
          b.type = "button";
          b.addEventListener("click", function () { choose(entry); });
          li.appendChild(b); ol.appendChild(li);
        });
        none.appendChild(ol);
      }
      if (near.length) {
        none.appendChild(el("p", null, t.did_you_mean));
        var ul = el("ul", "hp-suggestions");
        near.forEach(function (name) {
          var li = el("li");
          var b = el("button", "hp-button hp-suggestion", name);
          b.type = "button";
          b.addEventListener("click", function () { input.value = name + " "; input.focus(); run(); });
          li.appendChild(b); ul.appendChild(li);
        });
        none.appendChild(ul);
      }
      if (t.no_result_contact) {
        none.appendChild(el("p", null, t.no_result_contact));
        var links = self.data.links.municipality.concat(self.data.links.utility);
        if (links.length) { none.appendChild(self._linkList(links)); }
      }
      none.hidden = false;
      status.textContent = fmt(t.no_result, {query: q});
    }
    function render(q, hits) {
      close();
      none.hidden = true;
      list.setAttribute("data-query", q);
      if (!fold(q)) { status.textContent = ""; return; }
      if (!hits.length) { noResult(q); return; }
      current = hits;
      hits.forEach(function (entry, r) {
        var li = el("li", "hp-result", entry.label);
        li.id = "hp-result-" + r;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.addEventListener("click", function () { choose(entry); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = hits.length === 1 ? t.result_one : fmt(t.results_count, {n: hits.length});
    }
    function run() {
      var q = input.value, mine = ++serial;
      if (!self.data.chunks && fold(q)) { status.textContent = t.loading; }
      self.findAsync(q, function (hits) { if (mine === serial) { render(q, hits); } });
    }
    input.addEventListener("input", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(run, 80);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && current.length) {
        active = Math.min(active + 1, current.length - 1); mark(); ev.preventDefault();
      } else if (ev.key === "ArrowUp" && current.length) {
        active = Math.max(active - 1, 0); mark(); ev.preventDefault();
      } else if (ev.key === "Enter") {
        ev.preventDefault();
        if (timer) { clearTimeout(timer); timer = null; }
        if (current.length) { choose(current[active >= 0 ? active : 0]); } else { run(); }
      } else if (ev.key === "Escape") {
        close();
      }
    });
  };

  /* ---- legend and layer switches ---------------------------------------------------------- */

  ResidentMap.prototype._legend = function () {
    var self = this, t = this.t, data = this.data;
    var Legend = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        var box = el("div", "hp-legend leaflet-bar");
        var button = el("button", "hp-legend-toggle", t.legend);
        button.type = "button";
        var body = el("div", "hp-legend-body");
        body.id = "hp-legend-body";
        button.setAttribute("aria-controls", body.id);
        var open = window.innerWidth >= 700;
        button.setAttribute("aria-expanded", open ? "true" : "false");
        body.hidden = !open;
        button.addEventListener("click", function () {
          body.hidden = !body.hidden;
          button.setAttribute("aria-expanded", body.hidden ? "false" : "true");
        });
        var spans = data.phaseSpans;
        data.classes.forEach(function (cls) {
          var text = cls.label === "dh" ? fmt(t["class"].dh, {phase: cls.ph,
            span: spans[cls.ph] ? span(spans[cls.ph][0], spans[cls.ph][1]) : "\u2013"})
            : t["class"][cls.label];
          body.appendChild(self._switch("class:" + cls.key, cls.shape, cls.color, text, cls.show));
        });
        var areas = {};
        data.districts.forEach(function (d) {
          var key = d.cls === "dh" ? "dh" + d.ph : d.cls;
          if (!areas[key] && d.cls !== "other") { areas[key] = d; }
        });
        if (data.districts.length) {
          body.appendChild(self._switch("districts", "area", "#555555", t.layer.districts, true));
          var sub = el("ul", "hp-legend-areas");
          Object.keys(areas).sort().forEach(function (key) {
            var d = areas[key];
            var shape = d.cls === "individual" ? "area-dash" : d.cls === "existing" ? "area-dot" : "area";
            var text = d.cls === "dh" ? fmt(t.area_dh, {phase: d.ph}) : d.cls === "existing"
              ? t.area_existing : t.area_individual;
            var li = el("li", "hp-legend-item");
            li.appendChild(svgSymbol(shape, d.color, 20));
            li.appendChild(el("span", null, text));
            sub.appendChild(li);
          });
          body.appendChild(sub);
        }
        var groups = data.lineGroups;
        if (groups.mains) { body.appendChild(self._switch("mains", "line", groups.mains, t.layer.mains, true)); }
        if (groups.network) {
          body.appendChild(self._switch("network", "dash", groups.network, t.layer.network, true));
        }
        if (data.baseNames.length || data.chunkMeta && data.chunkMeta.some(function (c) { return c.kind === "streets"; })
            || (data.chunks || []).some(function (c) { return c.kind === "streets"; })) {
          body.appendChild(self._switch("streets", "line", "#9a9a9a", t.layer.streets, true));
        }
        if (data.tiles) { body.appendChild(self._switch("tiles", "area", "#888888", t.layer.tiles, true)); }
        box.appendChild(button);
        box.appendChild(body);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    data.classes.forEach(function (cls) { if (!cls.show) { self.hidden["class:" + cls.key] = true; } });
    new Legend().addTo(this.map);
  };

  ResidentMap.prototype._switch = function (key, shape, color, text, on) {
    var self = this;
    var row = el("label", "hp-switch");
    var box = el("input");
    box.type = "checkbox";
    box.checked = !!on;
    box.addEventListener("change", function () { self.setVisible(key, box.checked); });
    row.appendChild(box);
    row.appendChild(svgSymbol(shape, color, 20));
    row.appendChild(el("span", null, text));
    return row;
  };

  ResidentMap.prototype.setVisible = function (key, on) {
    this.hidden[key] = !on;
    var group = this.lineGroups[key];
    if (group) { if (on) { group.addTo(this.map); } else { this.map.removeLayer(group); } }
    if (key === "tiles" && this.tiles) {
      if (on) { this.tiles.addTo(this.map); } else { this.map.removeLayer(this.tiles); }
    }
    this.redrawAll();
  };

  /* ---- start ---------------------------------------------------------------------------------- */

  /* map and tiles: the Leaflet map and the optional tile layer that folium's script made;
     data: the page's JSON block */
  function start(map, tiles, data) {
    if (!data.chunks) {
      data.chunkMeta = data.chunkMeta || [];
    }
    var m = new ResidentMap(map, tiles, data);
    window.heatplanMap = m;
    window.heatplanReady = true;
    document.documentElement.setAttribute("data-hp-ready", "true");
    return m;
  }

  window.heatplanFold = fold;
  window.HeatplanResidentMap = {start: start, fold: fold};
})();
