// Local secrets for `npm start` and `npm test`: JWT_SECRET and ENCRYPTION_KEY from the environment when set,
// otherwise generated once into .data/secrets.env (git-ignored) and reused, so encrypted rows stay readable.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

const GENERATED = {
  JWT_SECRET: () => randomBytes(32).toString("hex"),
  ENCRYPTION_KEY: () => randomBytes(32).toString("hex"),
};

export function loadLocalSecrets(root, env, log) {
  const file = resolve(root, ".data/secrets.env");
  const stored = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (match) stored[match[1]] = match[2];
    }
  }
  let changed = false;
  const result = {};
  for (const [name, generate] of Object.entries(GENERATED)) {
    if (env[name]) continue;
    if (!stored[name]) {
      stored[name] = generate();
      changed = true;
    }
    result[name] = stored[name];
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${Object.entries(stored)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n")}\n`,
      { mode: 0o600 },
    );
    log(`generated local secrets in ${file} (set JWT_SECRET and ENCRYPTION_KEY to use your own)`);
  }
  return result;
}
