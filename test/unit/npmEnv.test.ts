// The installs the tests run themselves (code-server for e2e, the ONNX Runtime reference) must not inherit the
// settings of the npm that runs `npm test`: code-server's postinstall read Node 20 from the inherited user agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { npmInstallEnv } from '../helpers/npmEnv';

test('an install environment keeps the machine\'s variables and drops every npm setting the parent npm passed', () => {
  const inherited = {
    PATH: '/usr/bin', HOME: '/root', CI: 'true', HTTPS_PROXY: 'http://proxy:3128',
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false', npm_config_onnxruntime_node_install: 'skip',
    NPM_CONFIG_PREFIX: '/elsewhere', npm_package_json: '/w/package.json', npm_lifecycle_event: 'test', npm_execpath: '/usr/lib/npm-cli.js',
    NODE: '/usr/bin/node', INIT_CWD: '/w',
  };
  assert.deepEqual(npmInstallEnv({}, inherited), { PATH: '/usr/bin', HOME: '/root', CI: 'true', HTTPS_PROXY: 'http://proxy:3128' });
});

test('the caller\'s own settings are added after the inherited ones are dropped', () => {
  const env = npmInstallEnv({ PATH: '/node24/bin:/usr/bin', npm_config_nodedir: '/node24' }, { PATH: '/usr/bin', npm_config_nodedir: '/node20' });
  assert.deepEqual(env, { PATH: '/node24/bin:/usr/bin', npm_config_nodedir: '/node24' });
});
