#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { hideBin } from 'yargs/helpers';
import { processIo, runCli } from './cli/index.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const io = processIo();
process.exitCode = await runCli(hideBin(process.argv), io, { version, width: Math.min(110, process.stdout.columns ?? 100) });
