// Tollgate admin page. Read-only: it polls the JSON endpoints next to it
// and renders every value with textContent, never as HTML.
"use strict";

(function () {
  const refreshMs = 2000;
  const $ = (id) => document.getElementById(id);

  function text(el, value) {
    el.textContent = value === undefined || value === null ? "" : String(value);
  }

  function cell(row, value, cls) {
    const td = document.createElement("td");
    text(td, value);
    if (cls) td.classList.add(cls);
    row.appendChild(td);
    return td;
  }

  function emptyRow(body, cols, message) {
    const tr = document.createElement("tr");
    const td = cell(tr, message, "empty");
    td.colSpan = cols;
    body.appendChild(tr);
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "unknown";
    const neg = seconds < 0;
    let s = Math.abs(Math.trunc(seconds));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    let out = d > 0 ? d + "d " + h + "h" : h > 0 ? h + "h " + m + "m" : m > 0 ? m + "m " + s + "s" : s + "s";
    return neg ? "-" + out : out;
  }

  function clock(iso) {
    if (!iso) return "";
    const t = new Date(iso);
    return isNaN(t) ? "" : t.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  }

  async function getJSON(path) {
    const resp = await fetch(path, { cache: "no-store", credentials: "same-origin" });
    if (!resp.ok) throw new Error(path + ": HTTP " + resp.status);
    return resp.json();
  }

  function renderStatus(s) {
    const p = s.policy;
    text($("policy-version"), p.loaded ? p.version : "no policy loaded");
    text($("policy-hash"), p.hash);
    text($("policy-source"), p.source);
    text($("policy-loaded"), p.loaded_at ? clock(p.loaded_at) + " (" + duration(p.age_seconds) + " ago)" : "");
    text($("policy-count"), p.policies);
    $("shadow").hidden = !s.shadow;
    if (s.shadow) {
      text($("shadow-version"), s.shadow.loaded ? s.shadow.version : "not loaded");
      text($("shadow-source"), s.shadow.source);
    }
    const xb = $("exceptions-body");
    xb.replaceChildren();
    for (const x of s.exceptions) {
      const tr = document.createElement("tr");
      if (x.expires_in_seconds < 86400) tr.classList.add("soon");
      cell(tr, x.ticket); cell(tr, x.policy); cell(tr, x.approved_by);
      cell(tr, clock(x.expires)); cell(tr, duration(x.expires_in_seconds), "left");
      xb.appendChild(tr);
    }
    if (s.exceptions.length === 0) emptyRow(xb, 5, "none in force");
    const bb = $("bundles-body");
    bb.replaceChildren();
    for (const b of s.bundles) {
      const tr = document.createElement("tr");
      cell(tr, b.trust_domain); cell(tr, b.source);
      cell(tr, b.present ? b.authorities : "missing");
      cell(tr, clock(b.updated_at)); cell(tr, duration(b.age_seconds));
      bb.appendChild(tr);
    }
    if (s.bundles.length === 0) emptyRow(bb, 5, "no trust bundles");
  }

  function renderCounts(body, counts) {
    body.replaceChildren();
    for (const c of counts) {
      const tr = document.createElement("tr");
      cell(tr, c.key); cell(tr, c.count, "count");
      body.appendChild(tr);
    }
    if (counts.length === 0) emptyRow(body, 2, "no denies");
  }

  function renderDenies(d) {
    text($("denies-minutes"), d.minutes);
    text($("denies-total"), d.total);
    const max = Math.max(1, ...d.per_minute.map((m) => m.denies));
    const pm = $("per-minute");
    pm.replaceChildren();
    for (const m of d.per_minute) {
      const meter = document.createElement("meter");
      meter.min = 0; meter.max = max; meter.value = m.denies;
      meter.title = clock(m.start) + ": " + m.denies + " denies, " + m.allows + " allows";
      pm.appendChild(meter);
    }
    renderCounts($("denies-by-policy"), d.by_policy);
    renderCounts($("denies-by-action"), d.by_action);
    renderCounts($("denies-by-code"), d.by_code);
  }

  function renderDecisions(v) {
    const body = $("decisions-body");
    body.replaceChildren();
    for (const d of v.decisions) {
      const tr = document.createElement("tr");
      tr.classList.add(d.allowed ? "allow" : "deny");
      tr.dataset.decisionId = d.decision_id;
      cell(tr, clock(d.time).slice(11)); cell(tr, d.outcome, "outcome"); cell(tr, d.code, "code");
      cell(tr, d.principal, "principal"); cell(tr, d.action, "action"); cell(tr, d.resource, "resource");
      cell(tr, d.method); cell(tr, d.path, "path"); cell(tr, d.policies.join(", "), "policies");
      body.appendChild(tr);
    }
    if (v.decisions.length === 0) emptyRow(body, 9, "no decisions yet");
    text($("decisions-count"), "(" + v.decisions.length + " of the last " + v.capacity + ")");
  }

  let seq = 0;
  async function refresh() {
    if ($("paused").checked) return;
    const mine = ++seq;
    const filter = $("denies-only").checked ? "deny" : "all";
    try {
      const [s, d, v] = await Promise.all([getJSON("api/status"), getJSON("api/denies"),
        getJSON("api/decisions?filter=" + filter)]);
      if (mine !== seq) return; // a newer refresh started meanwhile
      renderStatus(s); renderDenies(d); renderDecisions(v);
      const line = $("status-line");
      line.classList.remove("error");
      text(line, "updated " + clock(s.now));
      document.body.dataset.filter = filter;
      document.body.dataset.refreshed = String(mine);
    } catch (e) {
      const line = $("status-line");
      line.classList.add("error");
      text(line, "cannot refresh: " + e.message);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("denies-only").addEventListener("change", refresh);
    $("paused").addEventListener("change", refresh);
    refresh();
    setInterval(refresh, refreshMs);
  });
})();
