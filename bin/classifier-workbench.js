#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled into dist/ by `npm run build` (run automatically by `npm install`).
require('../dist/cli.js');
