// The local platform's console: renders the snapshot the server streams (server-sent events) and publishes configs.
"use strict";

const STAGES = ["offered", "downloading", "trial", "applied", "rejected", "rolledBack"];
const LAYERS = [
  { key: "applied", label: "applied" },
  { key: "rejected", label: "rejected" },
  { key: "rolledBack", label: "rolled back" },
  { key: "trial", label: "all sent, result awaited" },
  { key: "downloading", label: "being sent" },
  { key: "waiting", label: "waiting" },
];
const STATUS_TEXT = { current: "on current config", trial: "all sent, result awaited", downloading: "being sent", idle: "idle", behind: "behind", refused: "refused it, will not take it again" };

const token = new URLSearchParams(location.search).get("token") || "";
let snapshot = null;
let skew = 0;            // server clock minus ours, in ms
let chosen = null;       // the rollout the user picked, or null to follow the newest
let lastNewest = null;
let productKey = null;   // the product shown (the first one until the user picks another)
let view = null;         // the snapshot narrowed to that product

const $ = (id) => document.getElementById(id);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.setAttribute("class", v);
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) el.append(c.nodeType ? c : document.createTextNode(String(c)));
  }
  return el;
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function bytes(n) {
  if (n < 1024) return n + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(n < 10240 ? 1 : 0) + " KB";
  return (n / 1048576).toFixed(1) + " MB";
}

function api(path, options) {
  const init = Object.assign({}, options || {});
  init.headers = Object.assign({ "X-Cota-Token": token }, init.headers || {});
  return fetch("/api/" + path, init).then(async (r) => {
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.error || ("HTTP " + r.status));
    return body;
  });
}

// ---- live updates ----------------------------------------------------------------------------------------------

function connect() {
  if (!token) {
    notice("This page needs the console's token: open the address `cota-host cloud` printed on its \"web console\" line.");
    setLive("down", "no token");
    return;
  }
  const events = new EventSource("/api/events?token=" + encodeURIComponent(token));
  events.addEventListener("state", (e) => {
    setLive("live", "live");
    notice(null);
    render(JSON.parse(e.data));
  });
  events.onerror = () => {
    setLive("down", "reconnecting…");
    api("state").catch((err) => { if (/token/.test(err.message)) { events.close(); notice(err.message); } });
  };
}

function setLive(state, text) {
  $("live").dataset.state = state;
  $("live-text").textContent = text;
}

function notice(text) {
  const n = $("notice");
  n.hidden = !text;
  n.textContent = text || "";
}

// ---- rendering -------------------------------------------------------------------------------------------------

function render(s) {
  snapshot = s;
  skew = new Date(s.platform.now).getTime() - Date.now();
  const product = s.products.find((p) => p.productKey === productKey) || s.products[0];
  productKey = product ? product.productKey : null;
  const picker = $("product");
  picker.hidden = s.products.length < 2;
  if (!picker.hidden && picker.options.length !== s.products.length) {
    picker.replaceChildren(...s.products.map((p) => h("option", { value: p.productKey, text: "product " + p.productKey })));
  }
  picker.value = productKey || "";
  const devices = s.devices.filter((d) => !product || d.productKey === product.productKey);
  const online = devices.filter((d) => d.online).length;
  const onCurrent = product && product.currentConfigId ? devices.filter((d) => d.activeConfigId === product.currentConfigId).length : 0;
  $("card-online").textContent = online + " / " + devices.length;
  $("card-current").textContent = product && product.currentConfigId ? onCurrent + " / " + devices.length : "–";
  $("card-config").textContent = product && product.currentConfigId ? product.currentConfigId : "none yet";
  $("card-refused").textContent = s.configs.filter((c) => c.rejection && c.productKey === productKey).length;
  $("publish-product").textContent = product ? "product " + product.productKey + " · " + online + " online" : "no product";
  $("footer").textContent = "data " + s.platform.dataFolder + " · MQTT/TLS " + s.platform.host + ":" + s.platform.mqttTlsPort +
    " · HTTPS " + s.platform.httpsPort + " · secrets are never shown here";
  updatePublishButton();
  const shown = view = Object.assign({}, s, {
    rollouts: s.rollouts.filter((r) => r.productKey === productKey),
    configs: s.configs.filter((c) => c.productKey === productKey),
  });
  renderRollouts(shown);
  renderConfigs(shown);
  renderDevices(devices);
}

function selectedRollout(s) {
  if (!s.rollouts.length) return null;
  const newest = s.rollouts.reduce((a, b) => (a.offeredAt >= b.offeredAt ? a : b));
  if (lastNewest !== newest.configId + newest.offeredAt) {
    // A new publication takes the view, unless the user is looking at another one on purpose.
    if (lastNewest !== null) chosen = null;
    lastNewest = newest.configId + newest.offeredAt;
  }
  return s.rollouts.find((r) => r.configId === chosen) || newest;
}

function renderRollouts(s) {
  const rollout = selectedRollout(s);
  const tabs = $("rollout-tabs");
  tabs.replaceChildren(...[...s.rollouts].sort((a, b) => (a.offeredAt < b.offeredAt ? 1 : -1)).map((r) =>
    h("button", {
      class: "tab" + (rollout && r.configId === rollout.configId ? " selected" : "") + (r.rejection ? " refused" : ""),
      type: "button", role: "tab", "data-config": r.configId,
      onclick: () => { chosen = r.configId; render(snapshot); },
    }, r.configId.slice(0, 10), " · ", clock(r.offeredAt))));
  if (!rollout) {
    drawChart(null);
    $("rollout-grid").replaceChildren();
    $("rollout-title").textContent = "no config published yet: publish one below";
    $("rollout-refusal").hidden = true;
    $("rollout-counts").replaceChildren();
    return;
  }
  const online = new Map(s.devices.map((d) => [d.deviceName, d.online]));
  $("rollout-title").replaceChildren("config ", h("code", { text: rollout.configId }), " · " + bytes(rollout.size) + " · " +
    rollout.devices.length + " devices · published " + clock(rollout.offeredAt) + " · ",
    h("span", { class: "halt", "data-halt": "", text: rollout.halt.text }));
  $("rollout-grid").classList.toggle("dense", rollout.devices.length > 60);
  $("rollout-grid").replaceChildren(...rollout.devices.map((d) => {
    const stage = d.stage || "waiting";
    const cell = h("div", {
      class: "cell" + (online.get(d.deviceName) === false ? " offline" : ""), "data-device": d.deviceName, "data-stage": stage,
      title: d.deviceName + ": " + stageText(stage) + (d.reasons.length ? " — " + d.reasons.join("; ") : ""),
    });
    if (stage === "downloading" && d.total > 0) {
      const fill = h("span", { class: "fill" });
      fill.style.height = Math.round(100 * d.served / d.total) + "%";
      cell.append(fill);
    }
    return cell;
  }));
  const refusal = $("rollout-refusal");
  const refused = rollout.devices.filter((d) => d.stage === "rejected" || d.stage === "rolledBack");
  refusal.hidden = !rollout.rejection && refused.length === 0;
  if (!refusal.hidden) {
    const first = rollout.rejection;
    refusal.replaceChildren(
      h("h3", { text: first ? "Refused: " + first.deviceName + " reported " + first.status.replace("_", " ") + " at " + clock(first.at) +
        " — no longer offered to devices" : refused.length + " devices refused it" }),
      h("ul", {}, uniqueReasons(refused, first).map((r) => h("li", { class: "reason", text: r }))));
  }
  const counts = countNow(rollout);
  $("rollout-counts").replaceChildren(...LAYERS.map((l) => h("span", { class: "item", "data-stage": l.key },
    h("span", { class: "swatch stage-" + l.key }), l.label, " ", h("span", { class: "count", text: counts[l.key] }))));
  for (const sw of document.querySelectorAll(".legend .swatch")) sw.style.background = colorOf(sw.className.split("stage-")[1]);
  drawChart(rollout);
}

function uniqueReasons(refused, first) {
  const seen = new Map();
  for (const r of (first ? first.errors : [])) seen.set(r, 0);
  for (const d of refused) for (const r of d.reasons) seen.set(r, (seen.get(r) || 0) + 1);
  if (seen.size === 0) return ["no reason given"];
  return [...seen.entries()].map(([r, n]) => n > 1 ? r + "  (" + n + " devices)" : r);
}

function stageText(stage) {
  return { waiting: "waiting", offered: "offered", downloading: "being sent (bytes the server sent)", trial: "every byte sent, result awaited", applied: "applied",
    rejected: "rejected", rolledBack: "rolled back" }[stage] || stage;
}

function colorOf(key) {
  return getComputedStyle(document.documentElement).getPropertyValue("--" + (key === "waiting" ? "waiting" : key)).trim();
}

function layerOf(stage) {
  return stage === null || stage === undefined || stage === "offered" ? "waiting" : stage;
}

function countNow(rollout) {
  const counts = Object.fromEntries(LAYERS.map((l) => [l.key, 0]));
  for (const d of rollout.devices) counts[layerOf(d.stage)]++;
  return counts;
}

// Step series: the count of devices in each layer after every transition.
function series(rollout) {
  const stages = rollout.devices.map(() => null);
  const points = [{ t: 0, counts: tally(stages) }];
  const sorted = [...rollout.transitions].sort((a, b) => a[0] - b[0]);
  for (const [t, i, stage] of sorted) {
    stages[i] = STAGES[stage];
    const at = Math.max(0, t);
    const counts = tally(stages);
    if (points.length && points[points.length - 1].t === at) points[points.length - 1].counts = counts;
    else points.push({ t: at, counts });
  }
  return points;
}

function tally(stages) {
  const c = Object.fromEntries(LAYERS.map((l) => [l.key, 0]));
  for (const s of stages) c[layerOf(s)]++;
  return c;
}

// The rollout chart (uPlot): the devices in each stage over time as stacked steps, applied at the bottom. uPlot paints
// its series in order, each filled down to zero, so the stack is drawn from the top layer down. Its legend gives each
// stage's count where the cursor is.
const STACK = [...LAYERS].reverse();
let chart = null;
let plotted = null;      // what the chart shows: { points, end (ms), total }

function drawChart(rollout) {
  const box = $("rollout-chart");
  const empty = !rollout || rollout.devices.length === 0;
  $("rollout-empty").textContent = !snapshot ? "waiting for the platform…" : "publish a config to see it roll out";
  $("rollout-empty").hidden = !empty;
  box.hidden = empty;
  if (empty) {
    plotted = null;
    return;
  }
  const points = series(rollout);
  const last = points[points.length - 1].t;
  const settled = rollout.devices.every((d) => ["applied", "rejected", "rolledBack"].includes(d.stage));
  const since = Date.now() + skew - new Date(rollout.offeredAt).getTime();
  // A settled rollout fills the width; a live one runs up to now.
  const end = settled ? Math.max(last * 1.12, 500) : Math.max(since, last + 500, 2000);
  plotted = { points, end, total: rollout.devices.length };
  // Each layer's top is the layers below it plus its own count; the last step runs on to the chart's end.
  const tops = [];
  let below = points.map(() => 0);
  for (const layer of LAYERS) {
    below = points.map((p, i) => below[i] + p.counts[layer.key]);
    tops.unshift(below.concat([below[below.length - 1]]));
  }
  const data = [points.map((p) => p.t / 1000).concat([end / 1000]), ...tops];
  if (chart) {
    // The window may have been resized while the chart was hidden.
    if (chart.width !== box.clientWidth) chart.setSize({ width: box.clientWidth, height: 260 });
    chart.setData(data);
  } else chart = new uPlot(chartOptions(box), data, box);
}

function chartOptions(box) {
  const count = (key) => (u, top, s, i) => i === null || !plotted ? "–" : plotted.points[Math.min(i, plotted.points.length - 1)].counts[key];
  const alpha = (key) => colorOf(key) + (key === "waiting" ? "8c" : "e6");
  return {
    width: box.clientWidth || 720,
    height: 260,
    cursor: { y: false, drag: { x: false, y: false }, points: { show: false } },
    scales: {
      x: { time: false, range: () => [0, plotted.end / 1000] },
      y: { range: () => [0, plotted.total] },
    },
    axes: [
      { incrs: [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600], values: (u, splits) => splits.map((t) => seconds(t * 1000)) },
      { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], size: 44 },
    ],
    series: [
      { label: "since published", value: (u, t) => t === null ? "–" : seconds(t * 1000) },
      ...STACK.map((layer) => ({
        label: layer.label, stroke: colorOf(layer.key), fill: alpha(layer.key), width: 1,
        paths: uPlot.paths.stepped({ align: 1 }), points: { show: false }, value: count(layer.key),
      })),
    ],
  };
}

function seconds(ms) {
  const s = ms / 1000;
  if (s < 10) return s.toFixed(1) + " s";
  if (s < 120) return Math.round(s) + " s";
  return Math.floor(s / 60) + " min " + Math.round(s % 60) + " s";
}

function renderConfigs(s) {
  const list = $("configs");
  if (!s.configs.length) {
    list.replaceChildren(h("li", { class: "meta", text: "nothing published yet" }));
    return;
  }
  list.replaceChildren(...s.configs.map((c) => {
    const holders = c.holders.slice(0, 14).map((n) => h("span", { class: "chip", text: n }));
    if (c.holders.length > 14) holders.push(h("span", { class: "chip", text: "+" + (c.holders.length - 14) }));
    const again = !c.current ? h("button", {
      class: "small", type: "button", "data-republish": c.configId,
      onclick: () => publishAgain(c.configId, c.rejection ? "Publish " + c.configId + " again? The fleet refused it before; every online device is offered it now, but a device that refused it does not take it again."
        : "Roll back to " + c.configId + "? It is published again and every online device is offered it now."),
    }, c.rejection ? "publish again" : "roll back to this") : null;
    return h("li", { "data-config": c.configId, "data-refused": c.rejection ? "yes" : "no" },
      h("div", { class: "row" }, h("code", { text: c.configId }),
        c.current ? h("span", { class: "badge current", text: "offered now" }) : null,
        c.rejection ? h("span", { class: "badge refused", text: c.rejection.status.replace("_", " ") + " by " + c.rejection.deviceName }) : null,
        again),
      h("div", { class: "meta", text: "published " + clock(c.offeredAt) + " · " + bytes(c.size) + " · sha256 " + c.sign.slice(0, 12) + "… · held by " + c.holders.length }),
      holders.length ? h("div", { class: "holders" }, holders) : null,
      c.rejection && c.rejection.errors.length ? h("ul", { class: "reasons" }, c.rejection.errors.map((e) => h("li", { text: e }))) : null);
  }));
}

function renderDevices(devices) {
  $("devices-hint").textContent = devices.length + " devices · " + devices.filter((d) => d.online).length + " online";
  $("devices").replaceChildren(...devices.map((d) => {
    const r = d.lastResult;
    let download = "–";
    if (d.download) {
      const pct = d.download.total > 0 ? Math.round(100 * d.download.served / d.download.total) : 100;
      const bar = h("span");
      bar.style.width = pct + "%";
      download = h("div", { title: "bytes the file server sent; the device may not have received them all" },
        h("span", { class: "mono", text: d.download.configId.slice(0, 10) + " " + pct + "% sent" }), h("div", { class: "bar" }, bar));
    }
    const refusal = d.lastRefusal && d.lastRefusal !== r && !(r && r.configId === d.lastRefusal.configId && r.time === d.lastRefusal.time)
      ? h("div", { class: "refused-line" }, "last refused: " + d.lastRefusal.status.replace("_", " ") + " " + d.lastRefusal.configId.slice(0, 10) +
        " · " + clock(d.lastRefusal.time), reasonList(d.lastRefusal)) : null;
    return h("tr", { "data-device": d.deviceName, "data-status": d.status },
      h("td", {}, h("strong", { text: d.deviceName })),
      h("td", {}, h("span", { class: "dot-online" + (d.online ? " yes" : ""), title: d.online ? "online" : "offline" })),
      h("td", { class: "mono", text: d.activeConfigId || "–" }),
      h("td", {}, h("span", { class: "pill", "data-status": d.status, text: STATUS_TEXT[d.status] || d.status })),
      h("td", {}, download),
      h("td", {}, r ? [h("span", { text: r.status.replace("_", " ") + " " + r.configId.slice(0, 10) + " · " + clock(r.time) }),
        reasonList(r), refusal] : "–"));
  }));
}

function reasonList(r) {
  return r.errors.length || r.details.length ? h("ul", { class: "errors" }, [...r.errors, ...r.details].map((e) => h("li", { text: e }))) : null;
}

// ---- publishing ------------------------------------------------------------------------------------------------

// The byte order mark some editors write is not part of the config (the platform drops it too).
function configText() {
  return $("publish-text").value.replace(/^\uFEFF/, "");
}

function checkConfig(text) {
  if (!text.trim()) return { ok: "empty", text: "paste or choose a JSON object" };
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: "no", text: "not valid JSON: " + e.message };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: "no", text: "a config is a JSON object whose keys are module names" };
  }
  const size = new TextEncoder().encode(text).length;
  const max = snapshot ? snapshot.platform.maxConfigSize : 0;
  if (max && size > max) {
    return { ok: "no", text: "the config is " + size.toLocaleString("en") + " bytes; devices take at most " + max.toLocaleString("en") +
      " bytes (maxConfigSize in their board.json): make it smaller" };
  }
  const duplicate = firstDuplicate(text);
  if (duplicate !== null) return { ok: "no", text: "duplicate_key: " + duplicate + " appears twice (devices refuse the config): keep one" };
  const keys = Object.keys(value);
  if (!keys.length) return { ok: "yes", empty: true, text: "valid JSON · no modules: every device resets every module to its defaults" };
  return { ok: "yes", text: "valid JSON · " + bytes(size) + " · " + keys.join(", ") };
}

// The path of the first key an object repeats (JSON.parse keeps the last one silently), or null.
function firstDuplicate(text) {
  const tokens = /"(?:[^"\\]|\\.)*"|[{}\[\]:,]/g;
  const stack = [];
  const child = (top) => !top ? "" : top.keys ? (top.path ? top.path + "." : "") + top.key : top.path + "[" + top.index + "]";
  let m;
  while ((m = tokens.exec(text))) {
    const t = m[0];
    const top = stack[stack.length - 1];
    if (t === "{") stack.push({ keys: new Set(), path: child(top), expectKey: true });
    else if (t === "[") stack.push({ keys: null, path: child(top), index: 0 });
    else if (t === "}" || t === "]") stack.pop();
    else if (t === ",") { if (top.keys) top.expectKey = true; else top.index++; }
    else if (t === ":") top.expectKey = false;
    else if (top && top.keys && top.expectKey) {
      const key = JSON.parse(t);
      if (top.keys.has(key)) return (top.path ? top.path + "." : "") + key;
      top.keys.add(key);
      top.key = key;
    }
  }
  return null;
}

function updatePublishButton() {
  const check = checkConfig(configText());
  const el = $("publish-check");
  el.dataset.ok = check.ok;
  el.textContent = check.text;
  const online = snapshot ? snapshot.devices.filter((d) => d.online && d.productKey === productKey).length : 0;
  const button = $("publish-button");
  button.disabled = check.ok !== "yes" || !snapshot || !snapshot.products.length;
  button.textContent = online ? "Publish to " + online + " online device" + (online > 1 ? "s" : "") : "Publish";
}

async function publish() {
  const button = $("publish-button");
  const status = $("publish-status");
  const text = configText();
  const empty = checkConfig(text).empty === true;
  if (empty && !confirm("This config names no module: every device resets every module to its defaults. Publish it?")) return;
  button.disabled = true;
  status.className = "result";
  status.textContent = "publishing…";
  try {
    const reply = await api("publish?productKey=" + encodeURIComponent(productKey) + (empty ? "&allowEmpty=true" : ""), {
      method: "POST", body: text, headers: { "Content-Type": "application/json" },
    });
    chosen = reply.configId;
    status.textContent = "published " + reply.configId + " · pushed to " + reply.pushedTo.length + " online devices";
  } catch (e) {
    status.className = "result error";
    status.textContent = e.message;
  } finally {
    updatePublishButton();
  }
}

async function publishAgain(configId, question) {
  if (!confirm(question)) return;
  const status = $("publish-status");
  try {
    const reply = await api("republish?configId=" + encodeURIComponent(configId), { method: "POST" });
    chosen = reply.configId;
    // Devices that refused it before do not take it again: say so rather than leave them looking as if on their way.
    status.className = reply.warning ? "result error" : "result";
    status.textContent = "published " + reply.configId + " again · pushed to " + reply.pushedTo.length + " online devices"
      + (reply.warning ? " · " + reply.warning + " (" + reply.refusedForGood.slice(0, 10).join(", ") + (reply.refusedForGood.length > 10 ? ", …" : "") + ")" : "");
  } catch (e) {
    status.className = "result error";
    status.textContent = e.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("publish-text").addEventListener("input", updatePublishButton);
  $("product").addEventListener("change", (e) => { productKey = e.target.value; chosen = null; lastNewest = null; render(snapshot); });
  $("publish-button").addEventListener("click", publish);
  $("publish-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (file) {
      $("publish-text").value = await file.text();
      updatePublishButton();
    }
  });
  updatePublishButton();
  drawChart(null);
  // A hidden box has no width: drawChart sizes the chart when it shows again.
  window.addEventListener("resize", () => {
    const box = $("rollout-chart");
    if (chart && !box.hidden) chart.setSize({ width: box.clientWidth, height: 260 });
  });
  connect();
  // A live rollout's time axis moves even when no device does.
  setInterval(() => { if (view) drawChart(selectedRollout(view)); }, 1000);
});
