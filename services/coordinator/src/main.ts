#!/usr/bin/env node
// The coordinator service: `relurec coordinator` with the same flags (e.g. --nats URL); all wiring lives in the CLI.
import { processIo, runCli } from '@relurec/cli';

process.exitCode = await runCli(['coordinator', ...process.argv.slice(2)], processIo(), { version: '0.1.0', width: 100 });
