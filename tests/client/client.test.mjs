// A TypeScript client generated from the server's own /openapi.json (openapi-typescript), with
// openapi-fetch, compiled under tsc --strict, run against the real crossrate-server on a loopback
// port with a fresh data directory: tests/client/tour.ts converts, reads margins, runs a
// scenario, writes a correction with a writer's token and reads at revision 1. A response
// schema without `required`, or an object without its properties, fails the compilation.
//
//   node tests/client/client.test.mjs --server build/bin/crossrate-server --root . --work build/client-test

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { startServer } from "../support/server.mjs";

const { values: args } = parseArgs({
  options: { server: { type: "string" }, root: { type: "string" }, work: { type: "string" } },
});
assert.ok(args.server && args.root && args.work, "--server, --root and --work are required");
const root = resolve(args.root);
const work = resolve(args.work);
const TOKEN = "client-test-token";

// tsc over the given files of the work directory; its output, and whether it compiled.
function tsc(files, outDir) {
  try {
    const out = execFileSync(process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "--strict", "--target", "es2022", "--module", "nodenext",
       "--moduleResolution", "nodenext", ...(outDir ? ["--outDir", outDir] : ["--noEmit"]), ...files.map((f) => join(work, f))],
      { encoding: "utf8" });
    return { ok: true, out };
  } catch (e) {
    return { ok: false, out: `${e.stdout}${e.stderr}` };
  }
}

// The program's code, without comments and string contents: what a cast or `any` would be.
const program = readFileSync(join(root, "tests/client/tour.ts"), "utf8");
const code = program.replace(/\/\/.*$/gm, "").replace(/"[^"\n]*"|`[^`\n]*`/g, '""');
assert.doesNotMatch(code, /\bas\b/, "the program casts nothing (no `as`)");
assert.doesNotMatch(code, /\bany\b/, "the program uses no `any`");
assert.doesNotMatch(code, /@ts-/, "the program silences no error");
assert.doesNotMatch(code, /[\w\])]!(?!=)/, "the program asserts nothing non-null (no `!`)");
assert.ok(readFileSync(join(root, "README.md"), "utf8").includes("```ts\n" + program + "```"),
          "the README's \"A typed client\" shows tests/client/tour.ts as it is");

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
writeFileSync(join(work, "package.json"), JSON.stringify({ type: "module", private: true }));
symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");  // openapi-fetch, from the build's work directory
copyFileSync(join(root, "tests/client/tour.ts"), join(work, "tour.ts"));

const dataDir = mkdtempSync(join(tmpdir(), "crossrate-client-"));
const { child: server, base } = await startServer(args.server, dataDir, TOKEN);
try {
  // The types, from the document the server serves.
  writeFileSync(join(work, "openapi.json"), await (await fetch(`${base}/openapi.json`)).text());
  execFileSync(process.execPath, [join(root, "node_modules/openapi-typescript/bin/cli.js"), join(work, "openapi.json"),
                                  "--default-non-nullable", "false", "--output", join(work, "crossrate-api.ts")],
               { stdio: ["ignore", "ignore", "inherit"] });

  const compiled = tsc(["tour.ts", "crossrate-api.ts"], join(work, "out"));
  assert.ok(compiled.ok, `tour.ts does not compile against the generated types:\n${compiled.out}`);

  // The types hold a client to what the document promises: a nullable field read unguarded fails.
  writeFileSync(join(work, "unguarded.ts"),
                'import type { components } from "./crossrate-api.js";\n' +
                'export const publisher = (c: components["schemas"]["Conversion"]): string => c.source.publisher;\n');
  const unguarded = tsc(["unguarded.ts"]);
  assert.ok(!unguarded.ok && /TS18047/.test(unguarded.out), `reading a nullable source unguarded compiled:\n${unguarded.out}`);

  const { tour } = await import(pathToFileURL(join(work, "out/tour.js")).href);
  for (const line of await tour(base, TOKEN)) console.log(line);

  // The event a write sends is the Revision schema's document: the same as GET /v1/revisions/2.
  const events = new AbortController();
  const stream = await fetch(`${base}/v1/events`, { headers: { "Last-Event-ID": "1" }, signal: events.signal });
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream.body) {
    text += decoder.decode(chunk, { stream: true });
    if (text.includes("\n\n")) break;
  }
  events.abort();
  const event = text.split("\n\n")[0];
  assert.match(event, /^id: 2\nevent: revision\ndata: /);
  const data = JSON.parse(event.split("\ndata: ")[1]);
  assert.deepEqual(data, await (await fetch(`${base}/v1/revisions/2`)).json());
  assert.equal(data.records[0].kind, "quote");
  console.log(`event: revision ${data.revision} by ${data.author}, ${data.records.length} record`);
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
}
