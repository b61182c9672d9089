// The environment for an `npm install` that the tests or benches run themselves (code-server for the e2e tests, the
// ONNX Runtime reference). Under `npm test` or `npm run` this process inherits npm's own settings as `npm_*` and
// `npm_config_*` variables (its user agent names the Node that runs the tests, its project's .npmrc keys, its
// prefix); a child npm would take them as its own configuration, and install scripts read them.

/**
 * This process's environment without what npm passes to the scripts it runs (`npm_*`/`npm_config_*` settings,
 * `NODE`, `INIT_CWD`), plus `extra`. Names are matched case-insensitively, as npm reads them.
 */
export function npmInstallEnv(extra: NodeJS.ProcessEnv = {}, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const own: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^npm_/i.test(name) || name === 'NODE' || name === 'INIT_CWD') continue;
    own[name] = value;
  }
  return { ...own, ...extra };
}
