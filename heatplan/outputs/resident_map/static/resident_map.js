/* heatplan residents' map: property markers, popups, legend and address search.
 *
 * Everything runs on the map's own data; no geocoder or other service is called. Every text
 * from the data reaches the page through textContent or a text node, never as HTML.
 */
(function () {
  "use strict";

  /* Fold an address for matching: case, accents, spacing and the Danish letters
   * (æ, ø, å and their spellings ae, oe, aa) all compare equal. */
  function fold(text) {
    var s = String(text).toLowerCase();
    s = s.replace(/æ/g, "a").replace(/ø/g, "o").replace(/å/g, "a");
    s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    s = s.replace(/aa/g, "a").replace(/ae/g, "a").replace(/oe/g, "o");
    return s.replace(/[^a-z0-9]+/g, " ").trim();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function yearSpan(a, b) {
    if (a === null && b === null) { return null; }
    if (a === null) { return String(b); }
    if (b === null || a === b) { return String(a); }
    return a + "\u2013" + b;
  }

  function HeatplanResidentMap(map, groups, layerControl, data) {
    this.map = map;
    this.groups = groups;
    this.data = data;
    this.t = data.t;
    this.highlight = null;
    this.index = null;
    this._panes();
    this._banner();
    this._search();
    this._fit();
    this._districts();
    this._lines();
    this._points();
    this._legend();
    this._attribution();
    if (layerControl && window.innerWidth >= 700) { layerControl.expand(); }
  }

  HeatplanResidentMap.prototype._panes = function () {
    var specs = [["hpDistricts", 380], ["hpLines", 390], ["hpPoints", 420]];
    for (var i = 0; i < specs.length; i++) {
      var pane = this.map.createPane(specs[i][0]);
      pane.style.zIndex = String(specs[i][1]);
    }
    this.pointRenderer = L.canvas({pane: "hpPoints"});
    this.lineRenderer = L.canvas({pane: "hpLines"});
    this.districtRenderer = L.canvas({pane: "hpDistricts"});
  };

  /* Fit the plan into the part of the map not covered by the search box; before the layers
   * are added, so that each is drawn once. */
  HeatplanResidentMap.prototype._fit = function () {
    var map = this.map;
    if (!this.data.bounds) { return; }
    var box = map.getContainer().querySelector(".hp-search");
    var top = box ? box.getBoundingClientRect().bottom -
      map.getContainer().getBoundingClientRect().top + 10 : 10;
    map.fitBounds(this.data.bounds, {paddingTopLeft: [10, top], paddingBottomRight: [10, 30]});
  };

  HeatplanResidentMap.prototype._districts = function () {
    var d = this.data.districts;
    if (!d.geojson || !this.groups.districts) { return; }
    var self = this;
    L.geoJSON(d.geojson, {
      renderer: this.districtRenderer,
      interactive: false,
      style: function (feature) {
        var info = d.items[feature.properties.i];
        return {color: "#333333", weight: 1.5, dashArray: "5 4", fillColor: info.color,
          fillOpacity: 0.08, opacity: 0.8};
      }
    }).addTo(self.groups.districts);
  };

  HeatplanResidentMap.prototype._lines = function () {
    var lines = this.data.lines;
    for (var i = 0; i < lines.length; i++) {
      var spec = lines[i];
      var group = this.groups[spec.group];
      if (!group) { continue; }
      L.polyline(spec.coords, {
        renderer: this.lineRenderer, interactive: false, color: spec.color, weight: spec.weight,
        opacity: 0.9, dashArray: spec.dash || null
      }).addTo(group);
    }
  };

  /* All properties of one marker class drawn on one canvas: thousands of points cost one layer,
   * not thousands of Leaflet objects. Clicks are matched to the nearest drawn point. */
  var PointsLayer = L.Layer.extend({
    options: {pane: "hpPoints", padding: 0.5},

    initialize: function (lat, lon, indices, color) {
      this._lat = lat;
      this._lon = lon;
      this._indices = indices;
      this._color = color;
      this._x = new Float32Array(indices.length);
      this._y = new Float32Array(indices.length);
      this._drawn = 0;
    },

    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "hp-points leaflet-zoom-animated");
      this.getPane().appendChild(this._canvas);
      this._redraw();
    },

    onRemove: function () {
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
      this._drawn = 0;
    },

    getEvents: function () {
      return {moveend: this._redraw, viewreset: this._redraw, resize: this._redraw,
        zoomanim: this._animateZoom};
    },

    _animateZoom: function (e) {
      var scale = this._map.getZoomScale(e.zoom, this._zoom);
      var offset = this._map._latLngToNewLayerPoint(this._topLeftLatLng, e.zoom, e.center);
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },

    _redraw: function () {
      var map = this._map;
      if (!map || !this._canvas) { return; }
      var size = map.getSize();
      var pad = size.multiplyBy(this.options.padding).round();
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
      this._origin = topLeft;
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.fillStyle = this._color;
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 0.8;
      var z = this._zoom;
      var r = z >= 16 ? 5 : z >= 15 ? 4 : z >= 14 ? 3 : 2.2;
      var n = 0;
      ctx.beginPath();
      for (var j = 0; j < this._indices.length; j++) {
        var i = this._indices[j];
        var pt = map.latLngToLayerPoint([this._lat[i], this._lon[i]]);
        var x = pt.x - topLeft.x;
        var y = pt.y - topLeft.y;
        if (x < -r || y < -r || x > full.x + r || y > full.y + r) { continue; }
        this._x[n] = pt.x;
        this._y[n] = pt.y;
        if (n !== j) { this._swap(n, j); }
        n++;
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fill();
      if (z >= 15) { ctx.stroke(); }
      this._drawn = n;
    },

    /* Keep drawn points first in the index array, so hit tests scan only those. */
    _swap: function (a, b) {
      var t = this._indices[a];
      this._indices[a] = this._indices[b];
      this._indices[b] = t;
    },

    /* The index of the drawn point nearest to a layer point, within `tolerance` px. */
    nearest: function (layerPoint, tolerance) {
      var best = -1;
      var bestD = tolerance * tolerance;
      for (var j = 0; j < this._drawn; j++) {
        var dx = this._x[j] - layerPoint.x;
        var dy = this._y[j] - layerPoint.y;
        var d = dx * dx + dy * dy;
        if (d <= bestD) { bestD = d; best = this._indices[j]; }
      }
      return best < 0 ? null : {index: best, d2: bestD};
    }
  });

  HeatplanResidentMap.prototype._points = function () {
    var p = this.data.points;
    var classes = this.data.classes;
    var byClass = [];
    for (var c = 0; c < classes.length; c++) { byClass.push([]); }
    for (var i = 0; i < p.k.length; i++) { byClass[p.k[i]].push(i); }
    this.pointLayers = [];
    for (c = 0; c < classes.length; c++) {
      var layer = new PointsLayer(p.lat, p.lon, byClass[c], classes[c].color);
      layer.addTo(this.groups[classes[c].group]);
      this.pointLayers.push(layer);
    }
    var self = this;
    var tolerance = L.Browser.mobile ? 12 : 8;
    this.map.on("click", function (e) {
      var hit = self.pointAt(e.layerPoint, tolerance);
      if (hit !== null) { self.openPopup(hit); }
    });
    this.map.on("mousemove", function (e) {
      var hit = self.pointAt(e.layerPoint, 6);
      self.map.getContainer().style.cursor = hit === null ? "" : "pointer";
    });
  };

  /* The property under a layer point, on a layer that is shown; null if none. */
  HeatplanResidentMap.prototype.pointAt = function (layerPoint, tolerance) {
    var best = null;
    for (var c = 0; c < this.pointLayers.length; c++) {
      var layer = this.pointLayers[c];
      if (!this.map.hasLayer(layer)) { continue; }
      var hit = layer.nearest(layerPoint, tolerance);
      if (hit && (best === null || hit.d2 < best.d2)) { best = hit; }
    }
    return best === null ? null : best.index;
  };

  HeatplanResidentMap.prototype.openPopup = function (i) {
    var p = this.data.points;
    /* Keep the popup clear of the search box (and banner) at the top of the map. */
    var top = 20;
    var box = this.map.getContainer().querySelector(".hp-search");
    if (box) {
      var mapRect = this.map.getContainer().getBoundingClientRect();
      top = box.getBoundingClientRect().bottom - mapRect.top + 10;
    }
    var small = this.map.getSize().x < 700;
    L.popup({maxWidth: small ? 280 : 320, minWidth: 220,
      autoPanPaddingTopLeft: L.point(10, top), autoPanPaddingBottomRight: L.point(10, 40)})
      .setLatLng([p.lat[i], p.lon[i]])
      .setContent(this.popup(i))
      .openOn(this.map);
  };

  HeatplanResidentMap.prototype.label = function (i) {
    var p = this.data.points;
    return p.a[i];
  };

  /* Build the popup of property i as DOM nodes (no HTML strings from the data). */
  HeatplanResidentMap.prototype.popup = function (i) {
    var t = this.t;
    var p = this.data.points;
    var cls = this.data.classes[p.k[i]];
    var root = el("div", "hp-popup");
    root.appendChild(el("div", "hp-popup-title", p.a[i]));
    var table = el("table", "hp-facts");
    function row(key, value) {
      if (value === null || value === undefined || value === "") { return; }
      var tr = el("tr");
      tr.appendChild(el("th", null, key));
      tr.appendChild(el("td", null, value));
      table.appendChild(tr);
    }
    var district = p.d[i] >= 0 ? this.data.districts.items[p.d[i]] : null;
    row(t.district, district ? district.name : null);
    row(t.plan, t.plan_text[cls.kind]);
    if (cls.kind === "district_heating") {
      row(t.phase, p.ph[i]);
      row(t.offer_year, p.oy[i]);
      row(t.construction_years, yearSpan(p.cs[i], p.ce[i]));
      row(t.connection_year, p.cy[i]);
    }
    root.appendChild(table);

    var todo = el("div", "hp-todo");
    todo.appendChild(el("div", "hp-todo-title", t.todo_title));
    var texts = t.todo[cls.kind] || [];
    for (var j = 0; j < texts.length; j++) {
      if (texts[j]) { todo.appendChild(el("p", null, texts[j])); }
    }
    var links = this.data.links[cls.kind] || [];
    if (links.length) {
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
      todo.appendChild(list);
    }
    root.appendChild(todo);
    if (t.disclaimer) { root.appendChild(el("p", "hp-note", t.disclaimer)); }
    return root;
  };

  HeatplanResidentMap.prototype._legend = function () {
    var self = this;
    var Legend = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        var box = el("div", "hp-legend leaflet-bar");
        var button = el("button", "hp-legend-toggle", self.t.legend);
        button.type = "button";
        var body = el("div", "hp-legend-body");
        var small = window.innerWidth < 700;
        button.setAttribute("aria-expanded", small ? "false" : "true");
        if (small) { body.style.display = "none"; }
        button.addEventListener("click", function () {
          var open = body.style.display === "none";
          body.style.display = open ? "" : "none";
          button.setAttribute("aria-expanded", open ? "true" : "false");
        });
        var entries = self.data.legend;
        for (var i = 0; i < entries.length; i++) {
          var item = el("div", "hp-legend-item");
          var sym = el("span", "hp-sym hp-sym-" + entries[i].shape);
          if (entries[i].shape === "line" || entries[i].shape === "area") {
            sym.style.borderColor = entries[i].color;
          } else {
            sym.style.backgroundColor = entries[i].color;
          }
          item.appendChild(sym);
          item.appendChild(el("span", null, entries[i].label));
          body.appendChild(item);
        }
        box.appendChild(button);
        box.appendChild(body);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Legend().addTo(this.map);
  };

  HeatplanResidentMap.prototype._banner = function () {
    if (!this.data.synthetic) { return; }
    var banner = el("div", "hp-banner", this.t.synthetic_banner);
    banner.setAttribute("role", "note");
    var container = this.map.getContainer();
    container.appendChild(banner);
    /* Move the top controls below the banner, however many lines it wraps to. */
    function place() {
      var tops = container.querySelectorAll(".leaflet-top");
      for (var i = 0; i < tops.length; i++) { tops[i].style.top = banner.offsetHeight + "px"; }
    }
    place();
    window.addEventListener("resize", place);
  };

  HeatplanResidentMap.prototype._attribution = function () {
    var control = this.map.attributionControl;
    if (!control) { return; }
    /* addAttribution takes HTML: pass only escaped text. */
    var span = el("span", null, this.data.attribution);
    control.addAttribution(span.innerHTML);
  };

  HeatplanResidentMap.prototype._buildIndex = function () {
    var a = this.data.points.a;
    var index = new Array(a.length);
    for (var i = 0; i < a.length; i++) {
      var key = fold(a[i]);
      index[i] = {key: key, compact: key.replace(/ /g, ""), words: key.split(" ")};
    }
    this.index = index;
  };

  /* Return up to `limit` property indices matching `query`, best first. */
  HeatplanResidentMap.prototype.find = function (query, limit) {
    var q = fold(query);
    if (!q) { return []; }
    if (!this.index) { this._buildIndex(); }
    var tokens = q.split(" ");
    var compactQ = tokens.join("");
    var hits = [];
    for (var i = 0; i < this.index.length; i++) {
      var entry = this.index[i];
      var at = entry.compact.indexOf(compactQ);
      var score = 0;
      if (at >= 0) {
        score = at === 0 ? 20 : 10;
      } else {
        var all = true;
        for (var j = 0; j < tokens.length; j++) {
          if (entry.compact.indexOf(tokens[j]) < 0) { all = false; break; }
        }
        if (!all) { continue; }
      }
      for (var k = 0; k < tokens.length; k++) {
        var best = 0;
        for (var w = 0; w < entry.words.length; w++) {
          if (entry.words[w] === tokens[k]) { best = 3; break; }
          if (best < 1 && entry.words[w].indexOf(tokens[k]) === 0) { best = 1; }
        }
        score += best;
      }
      hits.push([score, i]);
    }
    hits.sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
    var out = [];
    for (var h = 0; h < hits.length && h < limit; h++) { out.push(hits[h][1]); }
    return out;
  };

  /* Zoom to property i and open its popup. */
  HeatplanResidentMap.prototype.show = function (i) {
    var p = this.data.points;
    var latlng = L.latLng(p.lat[i], p.lon[i]);
    var map = this.map;
    map.setView(latlng, Math.max(map.getZoom(), 17), {animate: false});
    if (this.highlight) { map.removeLayer(this.highlight); }
    this.highlight = L.circleMarker(latlng, {
      renderer: this.pointRenderer, radius: 11, color: "#111111", weight: 3, fill: false,
      interactive: false
    }).addTo(map);
    this.openPopup(i);
  };

  HeatplanResidentMap.prototype._search = function () {
    var self = this;
    var t = this.t;
    var Search = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var box = el("div", "hp-search");
        box.setAttribute("role", "search");
        box.appendChild(el("div", "hp-title", t.title));
        var input = el("input", "hp-search-input");
        input.type = "search";
        input.placeholder = t.search_placeholder;
        input.setAttribute("aria-label", t.search_label);
        input.setAttribute("autocomplete", "off");
        input.setAttribute("enterkeyhint", "search");
        var list = el("ul", "hp-results");
        list.setAttribute("role", "listbox");
        box.appendChild(input);
        box.appendChild(list);
        var current = [];
        var active = -1;
        var timer = null;

        function choose(i) {
          current = [];
          input.value = self.label(i);
          input.blur();
          /* Let the click finish while its target is still in the box: Leaflet checks the
           * target's ancestors to tell a control click from a map click (which closes popups). */
          setTimeout(function () {
            list.innerHTML = "";
            self.show(i);
          }, 0);
        }
        function render() {
          list.innerHTML = "";
          active = -1;
          var q = input.value;
          current = self.find(q, 8);
          list.setAttribute("data-query", q);
          if (!fold(q)) { return; }
          if (!current.length) {
            list.appendChild(el("li", "hp-noresult", t.no_result));
            return;
          }
          for (var r = 0; r < current.length; r++) {
            var li = el("li", "hp-result", self.label(current[r]));
            li.setAttribute("role", "option");
            li.addEventListener("click", (function (idx) {
              return function () { choose(idx); };
            })(current[r]));
            list.appendChild(li);
          }
        }
        function mark() {
          var items = list.querySelectorAll(".hp-result");
          for (var r = 0; r < items.length; r++) {
            items[r].classList.toggle("hp-active", r === active);
          }
        }
        input.addEventListener("input", function () {
          if (timer) { clearTimeout(timer); }
          timer = setTimeout(render, 80);
        });
        input.addEventListener("keydown", function (ev) {
          if (ev.key === "ArrowDown" && current.length) {
            active = Math.min(active + 1, current.length - 1); mark(); ev.preventDefault();
          } else if (ev.key === "ArrowUp" && current.length) {
            active = Math.max(active - 1, 0); mark(); ev.preventDefault();
          } else if (ev.key === "Enter") {
            if (timer) { clearTimeout(timer); timer = null; render(); }
            if (current.length) { choose(current[active >= 0 ? active : 0]); }
            ev.preventDefault();
          } else if (ev.key === "Escape") {
            list.innerHTML = ""; current = [];
          }
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Search().addTo(this.map);
  };

  window.heatplanFold = fold;
  window.HeatplanResidentMap = HeatplanResidentMap;
})();
