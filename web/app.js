// The crossrate dashboard: every number on the page is read from the API of the server that
// serves it, pinned to one dataset revision; a new revision (announced on /v1/events) reloads
// what it may have changed.

const state = {
  revision: null,
  items: [],        // items with price quotes on both sides: the ones with margins
  catalogue: [],    // every item, priced or not
  itemNames: new Map(),
  priceQuotes: [],  // the margin chart's range follows its item's quotes
  regimes: [],
  sources: new Map(),
  currencies: [],
  cities: [],
  quoteIds: null,   // ids shown before the last refresh, to mark new rows
  charts: new Map(),
  baseline: null,   // the scenario panel's baseline inputs
};

// ---------------------------------------------------------------- API and formatting

class ApiError extends Error {}

// A read at the revision shown, so every panel agrees and a new revision is a new URL.
async function get(path) {
  const sep = path.includes("?") ? "&" : "?";
  const url = state.revision ? `${path}${sep}revision=${state.revision}` : path;
  return request(url);
}

// Every page of a list (quotes, rate reports, sources, revisions), following `next`: the
// server answers at most 1,000 entries a page.
async function allPages(fetchPage, path, key) {
  const items = [];
  for (let cursor = null; ;) {
    const sep = path.includes("?") ? "&" : "?";
    const page = await fetchPage(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...page[key]);
    if (!page.next) return { ...page, [key]: items };
    cursor = page.next;
  }
}

async function request(url, init) {
  const res = await fetch(url, init);
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(body?.detail ?? `${res.status} ${res.statusText}`);
  return body;
}

const locale = navigator.language || "en-US";
const numberFormats = new Map();
function formatNumber(value, digits = 2) {
  const key = `n${digits}`;
  if (!numberFormats.has(key)) {
    numberFormats.set(key, new Intl.NumberFormat(locale, { maximumFractionDigits: digits }));
  }
  return numberFormats.get(key).format(value);
}
function formatMoney(value, currency, digits = 2) {
  const key = `${currency}${digits}`;
  if (!numberFormats.has(key)) {
    numberFormats.set(key, new Intl.NumberFormat(locale, {
      style: "currency", currency, currencyDisplay: "code", maximumFractionDigits: digits,
    }));
  }
  return numberFormats.get(key).format(value);
}
function formatPercent(value, digits = 1) {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(value);
}
const dateFormat = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
function formatDate(iso) {
  return dateFormat.format(new Date(`${iso}T00:00:00Z`));
}
function formatAge(days) {
  if (days === 0) return "same day";
  if (days === 1) return "1 day old";
  return `${formatNumber(days, 0)} days old`;
}

const $ = (id) => document.getElementById(id);
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}
function toSeconds(iso) {
  return Date.parse(`${iso}T00:00:00Z`) / 1000;
}
function isoDate(d) {
  return d.toISOString().slice(0, 10);
}
function addMonths(iso, months) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return isoDate(d);
}
function announce(text) {
  $("announce").textContent = text;
}
function fillSelect(select, options, chosen) {
  select.replaceChildren(...options.map(([value, label]) => el("option", { value, textContent: label })));
  if (chosen !== undefined) select.value = chosen;
}

// ---------------------------------------------------------------- charts

const palette = ["#1f5fbf", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490"];
const regimeFill = { lax: "rgba(46,160,67,0.10)", tightening: "rgba(230,160,0,0.16)", crackdown: "rgba(200,40,40,0.14)" };

function chartSize(container) {
  const width = Math.max(280, container.clientWidth);
  return { width, height: width < 600 ? 240 : 300 };
}

// One uPlot per container, rebuilt when its data changes and resized with its container.
function drawChart(container, opts, data) {
  state.charts.get(container.id)?.destroy();
  container.replaceChildren();
  const chart = new uPlot({ ...chartSize(container), ...opts }, data, container);
  state.charts.set(container.id, chart);
  return chart;
}
const resizer = new ResizeObserver((entries) => {
  for (const entry of entries) state.charts.get(entry.target.id)?.setSize(chartSize(entry.target));
});

// Arrow keys step the chart's cursor from point to point (Home and End jump), so the readout
// under it serves keyboard users too.
function keyboardCursor(container, chart, xs) {
  container.tabIndex = 0;
  container.onkeydown = (e) => {
    const step = { ArrowLeft: -1, ArrowRight: 1, Home: -xs.length, End: xs.length }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const now = chart.cursor.idx ?? xs.length - 1;
    const idx = Math.min(xs.length - 1, Math.max(0, now + step));
    chart.setCursor({ left: chart.valToPos(xs[idx], "x"), top: chart.bbox.height / devicePixelRatio / 2 });
  };
}

// Enforcement regimes shaded behind the plot.
function shadeRegimes(u) {
  const { ctx, bbox } = u;
  const [min, max] = [u.scales.x.min, u.scales.x.max];
  for (const r of state.regimes) {
    const start = Math.max(min, toSeconds(r.start.date));
    const end = Math.min(max, r.end ? toSeconds(lastDay(r.end)) + 86400 : max);
    if (end <= start) continue;
    const x0 = u.valToPos(start, "x", true);
    const x1 = u.valToPos(end, "x", true);
    ctx.fillStyle = regimeFill[r.level] ?? "transparent";
    ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
  }
}
function lastDay(reported) {
  const [y, m] = reported.date.split("-").map(Number);
  if (reported.precision === "year") return `${y}-12-31`;
  if (reported.precision === "month") return isoDate(new Date(Date.UTC(y, m, 0)));
  return reported.date;
}
function regimeOn(iso) {
  const t = toSeconds(iso);
  let found = null;
  for (const r of state.regimes) {
    if (toSeconds(r.start.date) <= t && (!r.end || t <= toSeconds(lastDay(r.end)))) found = r;
  }
  return found;
}

// ---------------------------------------------------------------- margins over time

function ageClass(days) {
  if (days == null) return "none";
  if (days <= 90) return "fresh";
  if (days <= 180) return "aging";
  return "stale";
}
const ageStyle = { fresh: ["#1f5fbf", "#1f5fbf"], aging: ["#8fb0e3", "#8fb0e3"], stale: ["#ffffff", "#9aa3b2"] };

async function loadMargins() {
  const item = $("margin-item").value;
  const measure = $("margin-measure").value;
  const currency = $("margin-currency").value;
  const container = $("margins-chart");
  const quotes = state.priceQuotes.filter((q) => q.item === item);
  if (quotes.length === 0) return;
  const observed = quotes.map((q) => firstDay(q.observed)).sort();
  const start = addMonths(observed[0].slice(0, 8) + "01", -3);
  const end = addMonths(observed[observed.length - 1].slice(0, 8) + "01", 15);
  // The crossing's cost only as named: the seeds' bribe, another reported one, or none.
  const cost = $("margin-cost").value;
  const source = `/v1/margins/series?item=${encodeURIComponent(item)}&start=${start}&end=${end}` +
                 `&interval=week&currency=${currency}&bribe_model=${$("margin-bribe-model").value}` +
                 (cost === "none" ? "&bribe=0" : `&bribe_item=${encodeURIComponent(cost)}`);
  const doc = await get(source);
  const points = doc.points;
  const xs = points.map((p) => toSeconds(p.date));
  const ys = points.map((p) => (p[measure] ?? null));
  const ages = points.map((p) => p.quote_age_days ?? null);
  const label = $("margin-measure").selectedOptions[0].textContent;
  const name = state.items.find((i) => i.id === item)?.name ?? item;
  const unit = state.items.find((i) => i.id === item)?.unit ?? "head";
  const opts = {
    scales: { x: { time: true } },
    legend: { show: false },
    axes: [{}, { label: `${currency} per ${unit}`, size: 70,
                 values: (u, v) => v.map((x) => formatNumber(x, Math.abs(v[v.length - 1] - v[0]) < 20 ? 2 : 0)) }],
    series: [{}, { label, stroke: "#1f5fbf", width: 2, spanGaps: false, points: { show: false } }],
    hooks: {
      drawClear: [shadeRegimes],
      // Each point drawn by its quote's age: solid when fresh, hollow when stale.
      draw: [(u) => {
        const { ctx } = u;
        const r = 3.5 * devicePixelRatio;
        for (let i = 0; i < xs.length; i++) {
          if (ys[i] == null) continue;
          const [fill, stroke] = ageStyle[ageClass(ages[i])];
          ctx.beginPath();
          ctx.arc(u.valToPos(xs[i], "x", true), u.valToPos(ys[i], "y", true), r, 0, 2 * Math.PI);
          ctx.fillStyle = fill;
          ctx.strokeStyle = stroke;
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.fill();
          ctx.stroke();
        }
      }],
      setCursor: [(u) => showMarginPoint(points[u.cursor.idx], measure, currency)],
    },
  };
  const chart = drawChart(container, opts, [xs, ys]);
  keyboardCursor(container, chart, xs);
  const shown = points.filter((p) => p[measure] != null);
  container.dataset.points = String(shown.length);
  container.dataset.revision = String(state.revision);
  container.dataset.source = source;  // what the chart shows, for anyone to fetch
  const latest = shown[shown.length - 1];
  container.setAttribute("aria-label", latest
    ? `${label} of ${name} in ${currency}, weekly from ${formatDate(start)} to ${formatDate(end)}: ` +
      `${shown.length} points; the last, ${formatDate(latest.date)}, is ${formatMoney(latest[measure], currency)} ` +
      `from a quote ${formatAge(latest.quote_age_days)}.`
    : `${label} of ${name}: no quotes in range.`);
  showMarginPoint(latest, measure, currency);
}

function showMarginPoint(point, measure, currency) {
  const out = $("margins-readout");
  if (!point) return;
  if (point[measure] == null) {
    out.textContent = `${formatDate(point.date)}: no margin — ${point.gap ?? "no data"}`;
    return;
  }
  const regime = regimeOn(point.date);
  out.replaceChildren(
    `${formatDate(point.date)}: `,
    el("strong", { textContent: formatMoney(point[measure], currency) }),
    ` · quote ${point.quote_age_days_farthest != null && point.quote_age_days_farthest !== point.quote_age_days
      ? `${formatNumber(point.quote_age_days, 0)}–${formatAge(point.quote_age_days_farthest)}` : formatAge(point.quote_age_days)}` +
      ` (${ageClass(point.quote_age_days)})`,
    point.rate_date ? ` · rate of ${formatDate(point.rate_date)}` : "",
    regime ? ` · enforcement ${regime.level}` : " · no enforcement period reported (interdiction assumed)",
  );
}

// ---------------------------------------------------------------- prices over time

const sideColour = { origin: "#1f5fbf", destination: "#c2410c", none: "#6b7280" };
// The quote kind an item's reports are: a bribe, fee or penalty item's own, else price.
function kindOf(item) {
  return ["bribe", "fee", "penalty"].includes(item?.category) ? item.category : "price";
}

async function loadPrices() {
  const id = $("price-item").value;
  const item = state.catalogue.find((i) => i.id === id);
  const currency = $("price-currency").value;
  const container = $("prices-chart");
  const gaps = $("prices-gaps");
  const source = `/v1/quotes/series?item=${encodeURIComponent(id)}&currency=${currency}&kind=${kindOf(item)}` +
                 `&unit=${encodeURIComponent(item?.unit ?? "")}`;
  const doc = item && item.quotes > 0 ? await get(source) : { points: [] };
  const shown = doc.points.filter((p) => p.value != null);
  gaps.replaceChildren(...doc.points.filter((p) => p.value == null).map((p) =>
    el("li", { textContent: `${p.observed.date} ${p.quote}: ${p.gap}` })));
  container.dataset.points = String(shown.length);
  container.dataset.source = source;
  if (shown.length === 0) {
    state.charts.get(container.id)?.destroy();
    state.charts.delete(container.id);
    container.replaceChildren(el("p", { class: "empty", textContent:
      item && item.quotes > 0 ? "No report of this item converts to one currency and unit." : `No price of ${item?.name ?? id} is reported.` }));
    container.setAttribute("aria-label", `${item?.name ?? id}: no prices to chart.`);
    $("prices-readout").textContent = "";
    return;
  }
  // A period's report sits at its middle; the chart spans a little beyond the first and last.
  const at = (p) => (toSeconds(p.observed.date.length === 4 ? `${p.observed.date}-07-01` :
                     p.observed.date.length === 7 ? `${p.observed.date}-15` : p.observed.date));
  const xs = shown.map(at);
  const lows = shown.map((p) => p.low ?? p.value);
  const highs = shown.map((p) => p.high ?? p.value);
  const [ymin, ymax] = [Math.min(...lows), Math.max(...highs)];
  const pad = (ymax - ymin) * 0.1 || ymax * 0.1 || 1;
  const [xmin, xmax] = [Math.min(...xs), Math.max(...xs)];
  const xpad = Math.max(86400 * 45, (xmax - xmin) * 0.04);
  const opts = {
    scales: { x: { time: true, range: [xmin - xpad, xmax + xpad] }, y: { range: [Math.max(0, ymin - pad), ymax + pad] } },
    legend: { show: false },
    axes: [{}, { label: `${currency} per ${doc.unit ?? "unit"}`, size: 80, values: (u, v) => v.map((x) => formatNumber(x, 2)) }],
    series: [{}, { label: "price", stroke: "transparent", points: { show: false } }],
    hooks: {
      drawClear: [shadeRegimes],
      // Each report a dot by side, hollow when its date is inferred, with its range as a bar.
      draw: [(u) => {
        const { ctx } = u;
        const r = 4 * devicePixelRatio;
        shown.forEach((p, i) => {
          const x = u.valToPos(xs[i], "x", true);
          const colour = sideColour[p.side ?? "none"];
          ctx.strokeStyle = colour;
          ctx.lineWidth = 2 * devicePixelRatio;
          if (p.low != null && p.high != null) {
            ctx.beginPath();
            ctx.moveTo(x, u.valToPos(p.low, "y", true));
            ctx.lineTo(x, u.valToPos(p.high, "y", true));
            ctx.stroke();
          }
          ctx.beginPath();
          ctx.arc(x, u.valToPos(p.value, "y", true), r, 0, 2 * Math.PI);
          ctx.fillStyle = p.observed.inferred ? "#ffffff" : colour;
          ctx.fill();
          ctx.stroke();
        });
      }],
      setCursor: [(u) => showPricePoint(shown[u.cursor.idx], currency, doc.unit)],
    },
  };
  const chart = drawChart(container, opts, [xs, shown.map((p) => p.value)]);
  keyboardCursor(container, chart, xs);
  container.setAttribute("aria-label", `${shown.length} reported ${kindOf(item)}s of ${item.name} in ${currency} per ` +
    `${doc.unit}, ${shown[0].observed.date} to ${shown[shown.length - 1].observed.date}` +
    `${gaps.children.length ? `; ${gaps.children.length} more cannot be shown (listed below)` : ""}.`);
  showPricePoint(shown[shown.length - 1], currency, doc.unit);
}

function showPricePoint(p, currency, unit) {
  if (!p) return;
  const source = state.sources.get(p.source);
  const range = p.low != null && p.high != null ? ` (${formatMoney(p.low, currency)}–${formatMoney(p.high, currency)})` : "";
  $("prices-readout").replaceChildren(
    `${p.observed.date}${p.observed.inferred ? " (date inferred)" : ""}: `,
    el("strong", { textContent: `${p.approximate ? "≈ " : ""}${formatMoney(p.value, currency)} per ${unit ?? p.per}` }),
    range,
    p.amount_basis === "midpoint" ? " — the midpoint of a reported range" : "",
    ` · reported ${p.amount} ${p.reported_currency} per ${p.reported_unit}${p.qualifier ? ` (“${p.qualifier}”)` : ""}`,
    p.side ? ` · ${p.side === "origin" ? "in North Korea" : "in China"}` : "",
    p.rate ? ` · ${p.rate.kind} rate of ${formatDate(p.rate.rate_date)}` : "",
    p.redenomination ? ` · ${p.redenomination.note}` : "",
    ` · ${source?.publisher ?? p.source}`,
  );
}

// ---------------------------------------------------------------- rates

// A reported period's first day, as the series place it: "2009-12" is 2009-12-01.
function firstDay(reported) {
  return reported.precision === "year" ? `${reported.date}-01-01`
       : reported.precision === "month" ? `${reported.date}-01` : reported.date;
}

async function loadRates() {
  const reports = (await allPages(get, "/v1/rates/reports?kind=market&quote=KPW", "reports")).reports
    .map((r) => ({ ...r, day: firstDay(r.date) }));
  if (reports.length === 0) return;
  const dates = [...new Set(reports.map((r) => r.day))].sort();
  const start = addMonths(dates[0].slice(0, 8) + "01", -3);
  const end = addMonths(dates[dates.length - 1].slice(0, 8) + "01", 4);
  state.cities = [...new Set(reports.map((r) => r.location))].sort();

  // Yuan per dollar: the official daily line, and the market cross rate weekly in each place
  // that reports the won against both, over the years those reports span.
  const both = state.cities.filter((c) => ["USD", "CNY"].every((b) => reports.some((r) => r.location === c && r.base === b)));
  const crossDates = reports.filter((r) => both.includes(r.location)).map((r) => r.day).sort();
  const crossStart = crossDates.length ? addMonths(crossDates[0].slice(0, 8) + "01", -3) : start;
  const [official, ...markets] = await Promise.all([
    get(`/v1/rates/series?base=USD&quote=CNY&start=${crossStart}&end=${end}&interval=day`),
    ...both.map((city) => get(`/v1/rates/series?base=USD&quote=CNY&kind=market&location=` +
                              `${encodeURIComponent(city)}&start=${crossStart}&end=${end}&interval=week`)),
  ]);
  const xs = official.points.map((p) => toSeconds(p.date));
  const index = new Map(official.points.map((p, i) => [p.date, i]));
  const lines = [official.points.map((p) => p.rate ?? null)];
  const series = [{}, { label: "official", stroke: "#1d2330", width: 1.5 }];
  for (const [n, city] of both.entries()) {
    const market = markets[n];
    const ys = new Array(xs.length).fill(null);
    for (const p of market.points) if (index.has(p.date)) ys[index.get(p.date)] = p.rate ?? null;
    lines.push(ys);
    series.push({ label: `market, ${city}`, stroke: palette[(n + 1) % palette.length], width: 2, spanGaps: true,
                  points: { show: true, size: 5 }, dash: [6, 3] });
  }
  const cny = $("cny-chart");
  drawChart(cny, {
    scales: { x: { time: true } },
    axes: [{}, { label: "CNY per USD", size: 60, values: (u, v) => v.map((x) => formatNumber(x, 2)) }],
    series,
    hooks: { drawClear: [shadeRegimes] },
  }, [xs, ...lines]);
  cny.dataset.points = String(lines.flat().filter((v) => v != null).length);

  // Won per dollar and per yuan, each survey a point.
  const days = dates.map(toSeconds);
  const at = new Map(dates.map((d, i) => [d, i]));
  const kpwSeries = [{}];
  const kpwData = [days];
  for (const [base, scale] of [["USD", "usd"], ["CNY", "cny"]]) {
    for (const [n, city] of state.cities.entries()) {
      const ys = new Array(days.length).fill(null);
      for (const r of reports) if (r.base === base && r.location === city) ys[at.get(r.day)] ??= r.value;
      if (ys.every((v) => v == null)) continue;
      kpwData.push(ys);
      kpwSeries.push({ label: `${city}, per ${base}`, scale, spanGaps: true, width: 2,
                       stroke: palette[n % palette.length], dash: base === "CNY" ? [4, 4] : undefined,
                       points: { show: true, size: 6 } });
    }
  }
  const kpw = $("kpw-chart");
  drawChart(kpw, {
    scales: { x: { time: true } },
    axes: [{}, { scale: "usd", label: "KPW per USD", size: 70, values: (u, v) => v.map((x) => formatNumber(x, 0)) },
           { scale: "cny", side: 1, label: "KPW per CNY", size: 70, grid: { show: false },
             values: (u, v) => v.map((x) => formatNumber(x, 0)) }],
    series: kpwSeries,
  }, kpwData);
  kpw.dataset.points = String(reports.length);
  cny.setAttribute("aria-label", `Yuan per US dollar from ${formatDate(crossStart)} to ${formatDate(end)}: the official ` +
    `daily rate and the market cross rate in ${both.join(", ")}.`);
  kpw.setAttribute("aria-label", `${reports.length} market surveys of the won in ${state.cities.join(", ")}, ` +
    `${formatDate(dates[0])} to ${formatDate(dates[dates.length - 1])}.`);
  fillSelect($("convert-location"), state.cities.map((c) => [c, c]), $("convert-location").value || state.cities[0]);
}

// ---------------------------------------------------------------- quotes

// A source's sentence in quotation marks, unless it opens with its own.
function quoted(sentence) {
  return /^[“"‘']/.test(sentence) ? sentence : `“${sentence}”`;
}

async function loadQuotes() {
  const item = $("quotes-item").value;
  const quotes = (await allPages(get, `/v1/quotes${item ? `?item=${encodeURIComponent(item)}` : ""}`, "quotes")).quotes;
  const before = state.quoteIds;
  state.quoteIds = new Set(quotes.map((q) => q.id));
  const rows = quotes.map((q) => {
    const source = state.sources.get(q.source.id);
    const observed = el("td", {}, q.observed.date);
    if (q.observed.inferred) {
      observed.append(" ", el("span", { class: "inferred", title: q.observed.note ?? "the date was worked out",
                                        textContent: "inferred" }));
    }
    // The source's own hedge beside the figure, and a tail it reports without a bound.
    const figure = q.amount_basis === "midpoint" ? `${formatMoney(q.low, q.currency)}–${formatMoney(q.high, q.currency)}`
                                                 : formatMoney(q.amount, q.currency);
    const price = `${q.approximate ? "≈ " : ""}${figure}` +
                  `${q.tail === "lower" ? " (sometimes less)" : q.tail === "upper" ? " (or more)" : ""}` +
                  `${q.qualifier ? ` — ${q.qualifier}` : ""}`;
    const sourceCell = el("td");
    const title = source?.title ?? source?.label ?? q.source.id;
    // Only web addresses become links: a written source's url is the writer's text.
    const link = source?.url && /^https?:\/\//i.test(source.url);
    sourceCell.append(link ? el("a", { href: source.url, textContent: title, rel: "noreferrer" }) : title);
    sourceCell.append(el("br"), el("small", { textContent: `${source?.publisher ?? ""}${source?.published ? ", " + source.published.date : ""}` }));
    const words = el("td");
    for (const e of q.excerpts) words.append(el("span", { class: "excerpt", textContent: quoted(e) }), " ");
    const name = state.itemNames.get(q.item) ?? q.item;
    return el("tr", { dataset: { id: q.id }, class: before && !before.has(q.id) ? "new" : "" },
      el("td", {}, `${name} `, el("small", { textContent: q.side === "origin" ? "bought in the DPRK" : q.side === "destination" ? "resold in China" : q.kind })),
      el("td", { class: "num", textContent: `${price} / ${q.unit}` }),
      observed, sourceCell, words);
  });
  $("quotes-body").replaceChildren(...rows);
  await loadClaims(item);
}

// What sources claim of prices ("one-third of Chinese market prices"), beside the quotes.
async function loadClaims(item) {
  const claims = (await get("/v1/claims")).claims;
  const lines = [];
  for (const c of claims) {
    const items = c.items.filter((i) => !item || i.item === item);
    if (items.length === 0) continue;
    const verdicts = items.map((i) => {
      const name = state.itemNames.get(i.item) ?? i.item;
      if (i.quoted_ratio == null) return `${name}: no prices to compare`;
      return `${name} ${formatNumber(i.quoted_ratio, 3)} ${i.agrees ? "agrees" : "does not agree"}`;
    });
    lines.push(el("li", { "data-claim": c.id },
      `Claimed (${c.ratio} of the resale price, ${c.approximate ? "a round figure" : "as stated"}): `,
      el("q", { textContent: c.excerpt }), ` — quoted prices: ${verdicts.join("; ")}.`));
  }
  $("quotes-claims").replaceChildren(...lines);
}

// ---------------------------------------------------------------- scenario

const sliders = {
  bribe: { format: (v, cur) => formatMoney(v, cur) },
  heads: { format: (v) => formatNumber(v, 0) },
  interdiction: { format: (v) => formatPercent(v, 0) },
  shock: { format: (v) => (v == 0 ? "as reported" : `${v > 0 ? "+" : ""}${v}%`) },
};
function showSliders() {
  const currency = $("scenario-currency").value;
  for (const [id, s] of Object.entries(sliders)) {
    const value = Number($(id).value);
    const shown = state.settled && id in state.settled && value === state.settled[id] ? state.baseline[id] : value;
    $(`${id}-out`).value = s.format(shown, currency);
  }
}

// The baseline for the chosen item, date and currency sets the sliders' starting points.
// `keep`: a new revision arrived; sliders the reader moved stay where they are.
async function loadBaseline({ keep = false } = {}) {
  const moved = keep && state.settled
    ? Object.entries(state.settled).filter(([k, v]) => Number($(k).value) !== v).map(([k]) => [k, $(k).value])
    : [];
  const shock = keep ? $("shock").value : "0";
  const item = $("scenario-item").value;
  const date = $("scenario-date").value;
  const currency = $("scenario-currency").value;
  let doc;
  try {
    doc = await get(`/v1/margins?items=${encodeURIComponent(item)}&date=${date}&currency=${currency}` +
                    `&bribe_model=${$("scenario-bribe-model").value}`);
  } catch (e) {
    $("scenario-note").textContent = e.message;
    $("scenario-results").replaceChildren();
    return;
  }
  const m = doc.items[0];
  const costs = m.costs;
  state.baseline = { bribe: costs.bribe.value, heads: costs.heads.value, interdiction: costs.interdiction.value };
  const bribe = $("bribe");
  const step = Math.max(1, 10 ** Math.floor(Math.log10(Math.max(1, costs.bribe.value)) - 1));
  bribe.step = String(step);
  bribe.max = String(Math.max(step * 10, Math.ceil((costs.bribe.value * 4) / step) * step));
  bribe.value = String(costs.bribe.value);
  $("heads").value = String(costs.heads.value);
  $("interdiction").value = String(costs.interdiction.value);
  // Where the sliders settled (a range snaps to its step): left there, a slider sends nothing
  // and the baseline's own value stands.
  state.settled = { bribe: Number(bribe.value), heads: Number($("heads").value), interdiction: Number($("interdiction").value) };
  for (const [k, v] of moved) $(k).value = v;
  $("shock").value = shock;
  showSliders();
  await runScenario();
}

let scenarioRun = 0;
let scenarioTimer = null;
function scheduleScenario() {
  showSliders();
  clearTimeout(scenarioTimer);
  scenarioTimer = setTimeout(runScenario, 120);
}

async function runScenario() {
  if (!state.baseline) return;
  const run = ++scenarioRun;
  const assumptions = {};
  for (const key of ["bribe", "heads", "interdiction"]) {
    const value = Number($(key).value);
    if (value !== state.settled[key]) assumptions[key] = String(value);
  }
  const body = {
    name: "dashboard",
    date: $("scenario-date").value,
    currency: $("scenario-currency").value,
    items: [$("scenario-item").value],
    bribe_model: $("scenario-bribe-model").value,
    assumptions,
  };
  const shock = Number($("shock").value);
  if (shock !== 0) body.overrides = { currency_value: { CNY: String(1 + shock / 100) } };
  const url = `/v1/scenarios${state.revision ? `?revision=${state.revision}` : ""}`;
  let doc;
  try {
    doc = await request(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (e) {
    if (run === scenarioRun) $("scenario-note").textContent = e.message;
    return;
  }
  if (run !== scenarioRun) return;  // a later change has been sent
  showScenario(doc.items[0], body.currency);
}

function showScenario(result, currency) {
  const s = result.scenario;
  const b = result.baseline;
  const money = (v) => (v == null ? "—" : formatMoney(v, currency));
  const percent = (v) => (v == null ? "—" : formatPercent(v));
  // A difference of two shares is in percentage points, not a percent of anything.
  const points = (v) => `${formatNumber(v * 100, 1)} pp`;
  const rows = [
    ["net_per_crossing", "Expected net per crossing", (x) => x.per_crossing.expected_net, money, money],
    ["net_per_head", "Expected net per unit", (x) => x.per_head.expected_net, money, money],
    ["return", "Return on outlay", (x) => x.per_crossing.return_on_outlay, percent, points],
    ["gross", "Gross margin per unit", (x) => x.gross, money, money],
    ["breakeven_bribe", "Break-even bribe", (x) => x.breakeven.bribe, money, money],
    ["breakeven_interdiction", "Break-even interdiction", (x) => x.breakeven.interdiction, percent, points],
  ];
  $("scenario-results").replaceChildren(...rows.map(([key, label, pick, format, formatDiff]) => {
    const sv = pick(s);
    const bv = pick(b);
    const diff = sv != null && bv != null ? sv - bv : null;
    const diffText = diff == null || Math.abs(diff) < 1e-9 ? "—" : `${diff > 0 ? "+" : "−"}${formatDiff(Math.abs(diff))}`;
    return el("tr", { dataset: { key } },
      el("th", { scope: "row", textContent: label }),
      el("td", { class: "scenario", textContent: format(sv) }),
      el("td", { class: "baseline", textContent: format(bv) }),
      el("td", { class: diff > 0 ? "up" : diff < 0 ? "down" : "", textContent: diffText }));
  }));
  const labels = Object.entries(s.costs).filter(([, c]) => c.basis === "assumption").map(([k]) => k);
  $("scenario-note").textContent =
    `${s.name}, buying ${s.buy.quote} and selling ${s.sell.quote}. ` +
    (labels.length ? `Assumed where no source gives a number: ${labels.join(", ")} (see /v1/assumptions).` : "");
}

// ---------------------------------------------------------------- converter

async function convert(event) {
  event?.preventDefault();
  const form = $("convert-form");
  const params = new URLSearchParams();
  for (const key of ["amount", "from", "to", "date", "kind"]) {
    const v = form.elements[key].value.trim();
    if (v) params.set(key, v);
  }
  if (params.get("kind") === "market") params.set("location", $("convert-location").value);
  const out = $("convert-result");
  try {
    const c = await get(`/v1/convert?${params}`);
    const legs = c.legs.map((leg) => {
      const o = leg.observations[0];
      return el("li", {},
        `${leg.series}: ${formatNumber(leg.rate, 6)} ${leg.to} per ${leg.from}, observed ${formatDate(o.date)} ` +
        `(${formatAge(leg.age_days)})${o.approximate ? ", approximate" : ""}; source ${leg.source}`,
        o.excerpt ? el("br") : "", o.excerpt ? el("span", { class: "excerpt", textContent: quoted(o.excerpt) }) : "");
    });
    out.replaceChildren(
      el("div", { class: "big", textContent: `${formatMoney(c.amount, c.from, 4)} = ${formatMoney(c.result, c.to, c.places)}` }),
      el("div", { textContent: `on ${formatDate(c.date)}${c.latest ? " (the latest date with data)" : ""}: ` +
                               `${c.kind} rate ${formatNumber(c.rate, 8)}, ${formatAge(c.age_days)}` }),
      el("ul", {}, ...legs));
  } catch (e) {
    out.replaceChildren(el("p", { class: "error", textContent: e.message }));
  }
}

// ---------------------------------------------------------------- start and live updates

// The revision being served, as /readyz names it: ready, or read-only after a storage fault
// (503), when writes are refused but every read still answers.
async function servedRevision() {
  const res = await fetch("/readyz");
  const body = await res.json().catch(() => null);
  if (typeof body?.revision !== "number") throw new ApiError(body?.detail ?? `${res.status} ${res.statusText}`);
  return body;
}

async function loadReference() {
  const [ready, items, quotes, regimes, sources, currencies] = await Promise.all([
    servedRevision(), request("/v1/items"), allPages(request, "/v1/quotes?kind=price", "quotes"), request("/v1/regimes"),
    allPages(request, "/v1/sources", "sources"), request("/v1/currencies"),
  ]);
  state.revision = ready.revision;
  $("revision").textContent = `revision ${state.revision}` + (ready.status === "read-only" ? " (read-only: writes are refused)" : "");
  state.regimes = regimes.regimes;
  state.priceQuotes = quotes.quotes;
  state.sources = new Map(sources.sources.map((s) => [s.id, s]));
  state.currencies = currencies.currencies.map((c) => c.code);
  const sides = new Map();
  for (const q of quotes.quotes) sides.set(q.item, (sides.get(q.item) ?? new Set()).add(q.side));
  state.items = items.items.filter((i) => sides.get(i.id)?.size === 2);
  state.catalogue = items.items;
  state.itemNames = new Map(items.items.map((i) => [i.id, i.name]));
  const itemOptions = state.items.map((i) => [i.id, i.name]);
  fillSelect($("margin-item"), itemOptions, $("margin-item").value || itemOptions[0]?.[0]);
  // A crossing's cost, by name: the seeds' bribe to border guards, another reported bribe, fee
  // or penalty, or none.
  const costs = items.items.filter((i) => ["bribe", "fee", "penalty"].includes(i.category) && i.quotes > 0);
  fillSelect($("margin-cost"), [
    ...costs.filter((i) => i.id === "border_guard_bribe").map((i) => [i.id, `${i.name} (the seeds')`]),
    ["none", "none (no bribe)"],
    ...costs.filter((i) => i.id !== "border_guard_bribe").map((i) => [i.id, `${i.name} (${i.category})`]),
  ], $("margin-cost").value || "border_guard_bribe");
  // The whole catalogue, priced first; an item nobody prices says so.
  const byPriced = [...items.items].sort((a, b) => (b.quotes > 0) - (a.quotes > 0) || a.name.localeCompare(b.name));
  fillSelect($("price-item"), byPriced.map((i) => [i.id, `${i.name} — ${i.quotes ? `${i.quotes} report${i.quotes === 1 ? "" : "s"}` : "none reported"}`]),
             $("price-item").value || "pork");
  fillSelect($("scenario-item"), itemOptions, $("scenario-item").value || itemOptions[0]?.[0]);
  const quoted = [...new Set(quotes.quotes.map((q) => q.item))];
  fillSelect($("quotes-item"), [["", "all"], ...quoted.map((id) => [id, items.items.find((i) => i.id === id)?.name ?? id])],
             $("quotes-item").value);
  const money = ["CNY", "USD", "EUR"].filter((c) => state.currencies.includes(c)).map((c) => [c, c]);
  fillSelect($("margin-currency"), money, $("margin-currency").value || "CNY");
  fillSelect($("price-currency"), money, $("price-currency").value || "CNY");
  fillSelect($("scenario-currency"), money, $("scenario-currency").value || "USD");
  const all = state.currencies.map((c) => [c, c]);
  fillSelect($("convert-from"), all, $("convert-from").value || "CNY");
  fillSelect($("convert-to"), all, $("convert-to").value || "USD");
}

async function refresh({ keep = false } = {}) {
  await loadReference();
  await Promise.all([loadMargins(), loadPrices(), loadRates(), loadQuotes(), loadBaseline({ keep }), convert()]);
}

function subscribe() {
  const live = $("live");
  // From the revision shown: nothing that lands while the page loads is missed.
  const events = new EventSource(`/v1/events?last_event_id=${state.revision}`);
  events.addEventListener("open", () => {
    live.textContent = "live";
    live.className = "badge live-on";
  });
  events.addEventListener("error", () => {
    live.textContent = "reconnecting…";
    live.className = "badge live-off";
  });
  events.addEventListener("revision", async (e) => {
    const change = JSON.parse(e.data);
    if (state.revision != null && change.revision <= state.revision) return;
    const added = change.records.map((r) => r.id).join(", ");
    await refresh({ keep: true });
    announce(`Revision ${change.revision} by ${change.author}: ${change.note}${added ? ` (${added})` : ""}.`);
    document.body.dataset.revision = String(state.revision);
  });
}

function wire() {
  for (const id of ["margin-item", "margin-measure", "margin-currency", "margin-cost", "margin-bribe-model"]) $(id).addEventListener("change", () => loadMargins().catch(fail));
  for (const id of ["price-item", "price-currency"]) $(id).addEventListener("change", () => loadPrices().catch(fail));
  for (const id of ["scenario-item", "scenario-date", "scenario-currency", "scenario-bribe-model"]) $(id).addEventListener("change", () => loadBaseline().catch(fail));
  for (const id of Object.keys(sliders)) $(id).addEventListener("input", scheduleScenario);
  $("scenario-reset").addEventListener("click", () => loadBaseline().catch(fail));
  $("quotes-item").addEventListener("change", () => loadQuotes().catch(fail));
  $("convert-form").addEventListener("submit", convert);
  $("convert-kind").addEventListener("change", () => {
    $("convert-location-label").hidden = $("convert-kind").value !== "market";
  });
  for (const id of ["margins-chart", "prices-chart", "cny-chart", "kpw-chart"]) resizer.observe($(id));
}

function fail(e) {
  announce(`Could not load: ${e.message}`);
  console.error(e);
}

async function start() {
  wire();
  await refresh();
  document.body.dataset.ready = "true";
  document.body.dataset.revision = String(state.revision);
  subscribe();
}

// uPlot is a deferred classic script; modules run after it.
start().catch(fail);
