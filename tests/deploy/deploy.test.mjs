// deploy/ as the fleet's operators use it, checked where it can drift from the code: every
// manifest parses; probe and health-check paths are routes the server answers (its OpenAPI
// document lists them); every CROSSRATE_* variable is one `crossrate-server --help` names (or,
// for HAProxy's, one deploy/haproxy.cfg reads); ports agree; the image and the units run a
// binary the build makes. Containers cannot be started here, so this reads them.
//
//   node tests/deploy/deploy.test.mjs --server build/bin/crossrate-server --root .

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { parseAllDocuments } from "yaml";

const { values: args } = parseArgs({ options: { server: { type: "string" }, root: { type: "string", default: "." } } });
assert.ok(args.server, "--server PATH is required");
const root = args.root;
const read = (path) => readFileSync(join(root, path), "utf8");

// What the server takes: its flags' environment variables, from --help.
const help = execFileSync(args.server, ["--help"], { encoding: "utf8" });
const serverVariables = new Set(help.match(/CROSSRATE_[A-Z_]+/g));
assert.ok(serverVariables.has("CROSSRATE_STORE") && serverVariables.has("CROSSRATE_PORT"), help);
const haproxyConfig = read("deploy/haproxy.cfg");
const haproxyVariables = new Set(haproxyConfig.match(/CROSSRATE_[A-Z_0-9]+/g));
const routes = new Set(Object.keys(JSON.parse(read("server/openapi.json")).paths));
const built = new Set(readdirSync(dirname(args.server)));
const port = "8080";
let checks = 0;

function variable(name, where, { haproxy = false } = {}) {
  if (!name.startsWith("CROSSRATE_")) return;
  checks++;
  const known = haproxy ? haproxyVariables.has(name) : serverVariables.has(name);
  assert.ok(known, `${where}: ${name} is not a variable ${haproxy ? "deploy/haproxy.cfg reads" : "crossrate-server --help names"}`);
}
function route(path, where) {
  checks++;
  assert.ok(routes.has(path), `${where}: ${path} is not a route of the server`);
}
function binary(path, where) {
  checks++;
  assert.ok(built.has(basename(path)), `${where}: ${path} is not a binary the build makes (${[...built].join(", ")})`);
}

// Kubernetes: every manifest parses, each object names its kind.
const manifests = readdirSync(join(root, "deploy/kubernetes")).filter((f) => f.endsWith(".yaml"));
const objects = [];
for (const file of manifests) {
  for (const doc of parseAllDocuments(read(`deploy/kubernetes/${file}`))) {
    assert.deepEqual(doc.errors, [], `${file}: ${doc.errors.join("; ")}`);
    const o = doc.toJS();
    assert.ok(o.apiVersion && o.kind && o.metadata?.name, `${file}: not a Kubernetes object`);
    objects.push({ file, ...o });
  }
}
const kinds = new Set(objects.map((o) => o.kind));
for (const kind of ["Deployment", "Service", "ConfigMap", "Secret", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                    "NetworkPolicy", "Cluster"]) {
  assert.ok(kinds.has(kind), `deploy/kubernetes has no ${kind}`);
}
const byKind = (kind) => objects.find((o) => o.kind === kind);
const deployment = byKind("Deployment");
const configMap = byKind("ConfigMap");
const container = deployment.spec.template.spec.containers[0];
for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
  assert.ok(container[probe]?.httpGet, `the Deployment has no ${probe}`);
  route(container[probe].httpGet.path, `Deployment ${probe}`);
}
assert.equal(String(container.ports[0].containerPort), configMap.data.CROSSRATE_PORT, "containerPort against CROSSRATE_PORT");
for (const name of Object.keys(configMap.data)) variable(name, "ConfigMap");
for (const e of container.env ?? []) variable(e.name, "Deployment env");
assert.ok(container.resources?.requests && container.resources?.limits, "the Deployment sets resources");
const storeFrom = container.env.find((e) => e.name === "CROSSRATE_STORE")?.valueFrom?.secretKeyRef;
const cluster = byKind("Cluster");
assert.equal(storeFrom?.name, `${cluster.metadata.name}-app`, "CROSSRATE_STORE from the CloudNativePG cluster's app secret");
assert.equal(cluster.spec.instances, 3, "one primary and two standbys");
const tokensMount = container.volumeMounts.find((m) => m.name === "tokens");
assert.ok(configMap.data.CROSSRATE_TOKENS_FILE.startsWith(tokensMount.mountPath), "the tokens file is in the mounted secret");
const secret = byKind("Secret");
assert.ok(deployment.spec.template.spec.volumes.some((v) => v.secret?.secretName === secret.metadata.name));
const labels = deployment.spec.template.metadata.labels;
for (const o of [byKind("Service"), byKind("PodDisruptionBudget"), byKind("NetworkPolicy")]) {
  const selector = o.spec.selector?.matchLabels ?? o.spec.selector ?? o.spec.podSelector?.matchLabels;
  for (const [k, v] of Object.entries(selector)) assert.equal(labels[k], v, `${o.kind} selects the Deployment's pods`);
}
assert.equal(byKind("HorizontalPodAutoscaler").spec.scaleTargetRef.name, deployment.metadata.name);
assert.ok(byKind("NetworkPolicy").spec.ingress.some((r) => r.ports.some((p) => String(p.port) === port)));

// Compose: PostgreSQL 15, three replicas, HAProxy, a named volume, tokens from a secret file.
const compose = parseAllDocuments(read("deploy/compose.yaml"), { merge: true })[0];
assert.deepEqual(compose.errors, []);
const c = compose.toJS({ merge: true });
const replicas = Object.entries(c.services).filter(([, s]) => s.environment?.CROSSRATE_STORE);
assert.equal(replicas.length, 3, "three replicas");
assert.match(c.services.postgres.image, /postgres:15/);
assert.ok(Object.keys(c.volumes).length >= 1, "a named volume");
assert.ok(c.secrets.crossrate_tokens.file, "tokens from a secret file");
for (const [name, s] of replicas) {
  for (const key of Object.keys(s.environment)) variable(key, `compose ${name}`);
  assert.equal(s.environment.CROSSRATE_PORT, port);
  assert.equal(s.environment.CROSSRATE_TOKENS_FILE, "/run/secrets/crossrate_tokens");
  assert.match(s.environment.CROSSRATE_STORE, /^postgresql:\/\//);
}
for (const key of Object.keys(c.services.haproxy.environment)) variable(key, "compose haproxy", { haproxy: true });
for (const [, address] of Object.entries(c.services.haproxy.environment).filter(([k]) => k.startsWith("CROSSRATE_REPLICA_"))) {
  assert.ok(address.endsWith(`:${port}`), `HAProxy sends to ${address}, the replicas listen on ${port}`);
}

// HAProxy: its checks are a route; its variables are the ones compose and the test set.
route(haproxyConfig.match(/option httpchk GET (\S+)/)[1], "haproxy.cfg httpchk");
assert.match(haproxyConfig, /balance leastconn/);
assert.match(haproxyConfig, /timeout tunnel/);

// The image: its entrypoint is the server the build makes; its health check a route.
const containerfile = read("deploy/Containerfile");
binary(JSON.parse(containerfile.match(/^ENTRYPOINT (.+)$/m)[1])[0], "Containerfile ENTRYPOINT");
route(containerfile.match(/HEALTHCHECK[\s\S]*?http:\/\/127\.0\.0\.1:\d+(\/\S+)/)[1], "Containerfile HEALTHCHECK");
assert.match(containerfile, /^USER (?!root)\S+/m, "a non-root user");
assert.match(containerfile, new RegExp(`^EXPOSE ${port}$`, "m"));
for (const name of containerfile.match(/CROSSRATE_[A-Z_]+/g)) variable(name, "Containerfile");

// systemd units: a binary the build makes (or HAProxy), and only variables the server names.
for (const unit of readdirSync(join(root, "deploy/systemd"))) {
  const text = read(`deploy/systemd/${unit}`);
  const exec = text.match(/^ExecStart=(\S+)/m)[1];
  if (basename(exec) !== "haproxy") binary(exec, unit);
  for (const [, name] of text.matchAll(/^Environment=(CROSSRATE_[A-Z_]+)=/gm)) variable(name, unit);
}

assert.ok(existsSync(join(root, "deploy/README.md")));
console.log(`deploy: ${objects.length} Kubernetes objects, compose with ${replicas.length} replicas, ${checks} checks against the build`);
