#!/usr/bin/env node
// The worker service: `relurec worker` with the same flags (e.g. --nats URL); all wiring lives in the CLI.
import { processIo, runCli } from '@relurec/cli';

process.exitCode = await runCli(['worker', ...process.argv.slice(2)], processIo(), { version: '0.1.0', width: 100 });
