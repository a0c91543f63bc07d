// The real crossrate-server for the node tests: on a free loopback port, with a data directory
// and a writer's token; resolves with the process and its base URL once it says it is listening.

import { spawn } from "node:child_process";

export function startServer(server, dataDir, token) {
  const child = spawn(server, ["--address", "127.0.0.1", "--port", "0", "--threads", "2", "--data-dir", dataDir,
                               "--log-level", "warn"],
                      { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, CROSSRATE_TOKENS: `tester:${token}` } });
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const match = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) resolve({ child, base: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`crossrate-server exited with ${code} before listening`)));
  });
}
