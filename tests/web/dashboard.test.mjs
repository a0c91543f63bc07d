// The dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core,
// against the real crossrate-server on a loopback port with a fresh data directory. Nothing
// may load from beyond loopback.
//
//   node tests/web/dashboard.test.mjs --server build/bin/crossrate-server --screenshot build/dashboard.png

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

import { startServer } from "../support/server.mjs";

const { values: args } = parseArgs({
  options: {
    server: { type: "string" },
    screenshot: { type: "string" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
  },
});
assert.ok(args.server, "--server PATH is required");

const TOKEN = "dashboard-test-token";

async function json(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

const dataDir = mkdtempSync(join(tmpdir(), "crossrate-dashboard-"));
const { child: server, base } = await startServer(args.server, dataDir, TOKEN);
const browser = await chromium.launch({
  executablePath: args.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--no-first-run", "--disable-dev-shm-usage", "--metrics-recording-only",
         "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication"],
});
const offLoopback = [];
const pageErrors = [];
try {
  const context = await browser.newContext({ locale: "en-US", timezoneId: "UTC", viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    offLoopback.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") pageErrors.push(m.text()); });
  page.on("response", (r) => { if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`); });

  // Loads, with every chart drawn from the API's numbers.
  const started = Date.now();
  await page.goto(base, { waitUntil: "domcontentloaded" });
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  const paint = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime);
  console.log(`first contentful paint ${Math.round(paint)} ms; every panel loaded in ${Date.now() - started} ms`);
  for (const id of ["margins-chart", "prices-chart", "cny-chart", "kpw-chart"]) {
    assert.equal(await page.locator(`#${id} canvas`).count(), 1, `${id} has no canvas`);
  }
  const marginPoints = Number(await page.getAttribute("#margins-chart", "data-points"));
  const source = await page.getAttribute("#margins-chart", "data-source");
  assert.match(source, /^\/v1\/margins\/series\?item=goat&/);
  const series = await json(`${base}${source}`);
  const apiPoints = series.body.points.filter((p) => p.gross != null).length;
  assert.equal(marginPoints, apiPoints, "the margin chart draws the API's points");
  const reports = await json(`${base}/v1/rates/reports?kind=market&quote=KPW`);
  assert.equal(Number(await page.getAttribute("#kpw-chart", "data-points")), reports.body.reports.length);
  // The chart's points are reachable from the keyboard: Home and End read out the first and
  // the last, as the API gives them.
  const day = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  await page.focus("#margins-chart");
  for (const [key, point] of [["Home", series.body.points[0]], ["End", series.body.points.at(-1)]]) {
    await page.keyboard.press(key);
    const readout = await page.textContent("#margins-readout");
    assert.ok(readout.startsWith(day.format(new Date(`${point.date}T00:00:00Z`))), `${key}: ${readout}`);
    assert.equal(readout.includes("no margin"), point.gross == null, `${key}: ${readout}`);
  }
  // Prices over time: the whole catalogue to pick from; each report the API converts is a
  // point, and the ones it cannot convert are listed with why; an unpriced item says so.
  const catalogue = await json(`${base}/v1/items`);
  assert.equal(await page.locator("#price-item option").count(), catalogue.body.items.length);
  const priceSource = await page.getAttribute("#prices-chart", "data-source");
  assert.match(priceSource, /^\/v1\/quotes\/series\?item=pork&currency=CNY&kind=price&unit=kg/);
  const prices = await json(`${base}${priceSource}`);
  const converted = prices.body.points.filter((p) => p.value != null).length;
  assert.ok(converted > 0);
  assert.equal(Number(await page.getAttribute("#prices-chart", "data-points")), converted);
  assert.equal(await page.locator("#prices-gaps li").count(), prices.body.points.length - converted);
  assert.match(await page.textContent("#prices-readout"), /per kg/);
  await page.selectOption("#price-item", "chicken");
  await page.waitForFunction(() => document.querySelector("#prices-chart").dataset.points === "0");
  assert.match(await page.textContent("#prices-chart"), /No price of Chicken is reported/);
  await page.selectOption("#price-item", "pork");
  await page.waitForFunction(() => document.querySelector("#prices-chart canvas") !== null);
  // Margins for an item reported only in 2016-2019 need a cost named for those years.
  await page.selectOption("#margin-item", "pork");
  await page.selectOption("#margin-cost", "none");
  await page.waitForFunction(() => /bribe=0/.test(document.querySelector("#margins-chart").dataset.source ?? ""));
  assert.ok(Number(await page.getAttribute("#margins-chart", "data-points")) > 0, "pork has margins without a bribe");
  await page.selectOption("#margin-item", "goat");
  await page.selectOption("#margin-cost", "border_guard_bribe");
  await page.waitForFunction(() => /item=goat&.*bribe_item=border_guard_bribe/.test(document.querySelector("#margins-chart").dataset.source ?? ""));
  const firstQuotes = await page.locator("#quotes-body tr").count();
  const quotes = await json(`${base}/v1/quotes`);
  assert.equal(firstQuotes, quotes.body.quotes.length, "every quote is listed");
  // The bribe reads as its source says: the going price, "reportedly", sometimes less.
  const bribeRow = await page.locator('#quotes-body tr[data-id="border-guard-bribe-2022-12"]').textContent();
  assert.match(bribeRow, /sometimes less/, bribeRow);
  assert.match(bribeRow, /reportedly/, bribeRow);
  // The "one-third" claim, beside the quoted prices: the goat's agree, the sheep's do not.
  const claim = await page.locator("#quotes-claims li").first().textContent();
  assert.match(claim, /one-third of Chinese market prices/, claim);
  assert.match(claim, /Goat 0\.333 agrees/i, claim);
  assert.match(claim, /Sheep 0\.4 does not agree/i, claim);

  // Paying the bribe on every crossing, not only when caught, lowers the baseline.
  const baselineCell = page.locator("#scenario-results tr[data-key=net_per_head] td.baseline");
  await page.waitForFunction(() => document.querySelector("#scenario-results tr[data-key=net_per_head]"));
  const whenCaught = await baselineCell.textContent();
  await page.selectOption("#scenario-bribe-model", "per_crossing");
  await page.waitForFunction((old) => document.querySelector("#scenario-results tr[data-key=net_per_head] td.baseline")
    .textContent !== old, whenCaught, { timeout: 10000 });
  assert.ok(parseFloat((await baselineCell.textContent()).replace(/[^0-9.−-]/g, "").replace("−", "-")) <
            parseFloat(whenCaught.replace(/[^0-9.−-]/g, "").replace("−", "-")), "every crossing pays more");
  await page.selectOption("#scenario-bribe-model", "when_caught");
  await page.waitForFunction((old) => document.querySelector("#scenario-results tr[data-key=net_per_head] td.baseline")
    .textContent === old, whenCaught, { timeout: 10000 });

  // The bribe slider, moved from the keyboard, changes the margin shown against the baseline.
  const net = page.locator("#scenario-results tr[data-key=net_per_head] td.scenario");
  await page.waitForFunction(() => document.querySelector("#scenario-results tr[data-key=net_per_head]"));
  const before = await net.textContent();
  const baseline = await page.locator("#scenario-results tr[data-key=net_per_head] td.baseline").textContent();
  assert.equal(before, baseline, "the scenario starts at the baseline");
  await page.focus("#bribe");
  for (let i = 0; i < 20; i++) await page.keyboard.press("ArrowRight");
  await page.waitForFunction((old) => document.querySelector("#scenario-results tr[data-key=net_per_head] td.scenario")
    .textContent !== old, before, { timeout: 10000 });
  const after = await net.textContent();
  assert.notEqual(after, before);
  const difference = await page.locator("#scenario-results tr[data-key=net_per_head] td:last-child").textContent();
  assert.match(difference, /^−/, "a higher bribe lowers the net per head");

  // A quote posted through the API appears without a reload.
  await page.evaluate(() => { window.notReloaded = true; });
  const quote = {
    item: "goat", kind: "price", side: "destination", amount: "1600", low: null, high: null, approximate: true,
    qualifier: "around", tail: null, currency: "CNY", unit: "head", location: "China, Dandong",
    observed: { date: "2023-06", precision: "month", inferred: false, note: null },
    source: { kind: "article", publisher: "Browser Test", label: "A test report", language: "en",
              published: { date: "2023-06-20", precision: "day", inferred: false } },
    excerpts: ["Goats resell for around RMB 1,600."], note: "written by the dashboard's browser test",
  };
  const written = await json(`${base}/v1/quotes`, {
    method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(quote),
  });
  assert.equal(written.status, 201, JSON.stringify(written.body));
  const id = written.body.ids[0];
  await page.waitForSelector(`#quotes-body tr[data-id="${id}"]`, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was not reloaded");
  await page.waitForFunction((n) => document.body.dataset.revision === String(n), written.body.revision);
  assert.equal(await page.textContent("#revision"), `revision ${written.body.revision}`);
  assert.match(await page.textContent("#announce"), new RegExp(`Revision ${written.body.revision} by tester`));
  // The reader's what-if survives the refresh.
  assert.match(await page.locator("#scenario-results tr[data-key=net_per_head] td:last-child").textContent(), /^−/);

  if (args.screenshot) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: args.screenshot, fullPage: true });
    console.log(`screenshot: ${args.screenshot}`);
  }
  assert.deepEqual(offLoopback, [], "nothing loads from beyond loopback");
  assert.deepEqual(pageErrors, [], "the page logs no errors");
  console.log("dashboard test passed");
} catch (e) {
  console.error("page errors:", pageErrors, "off loopback:", offLoopback);
  throw e;
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
