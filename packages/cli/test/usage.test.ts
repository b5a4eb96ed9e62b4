import t from 'tap';
import { ExitCode } from '../src/index.js';
import { cli } from './fixtures/cli.js';
import { relurec } from './fixtures/relurec.js';

// In-process: these parse flags only, so no process is spawned (but one, to see the real exit code).

t.test('usage - every command has --help (exit 0, on stdout)', async (t) => {
  const commands = [[], ['generate'], ['train'], ['recover'], ['compare'], ['export'], ['oracle'], ['oracle', 'serve'], ['demo']];
  for (const c of commands) {
    const run = await cli([...c, '--help']);
    t.equal(run.code, ExitCode.done, `${c.join(' ')} --help`);
    t.match(run.stdout, c.length === 0 ? /Commands:/ : new RegExp(`relurec ${c.join(' ')}`));
    t.equal(run.stderr, '');
  }
  t.match((await cli(['recover', '--help'])).stdout, /--budget/);
});

t.test('usage - the built binary prints help and exits 0', async (t) => {
  const run = await relurec(['--help']);
  t.equal(run.code, 0);
  t.match(run.stdout, /relurec recover/);
});

t.test('usage - no command, an unknown command or flag exit 2 with a message', async (t) => {
  const none = await cli([]);
  t.equal(none.code, ExitCode.usage);
  t.match(none.stderr, /^relurec: give a command/m);
  const unknown = await cli(['recovr']);
  t.equal(unknown.code, ExitCode.usage);
  t.match(unknown.stderr, /unknown command 'recovr'\. Did you mean recover\?/);
  const flag = await cli(['compare', 'a.json', 'b.json', '--frobnicate']);
  t.equal(flag.code, ExitCode.usage);
  t.match(flag.stderr, /Unknown argument: frobnicate/);
});

t.test('usage - cluster services check their flags before connecting (exit 2)', async (t) => {
  const cases: [string[], RegExp][] = [
    [['coordinator'], /Missing required argument: nats/],
    [['worker'], /Missing required argument: nats/],
    [['dashboard'], /Missing required argument: nats/],
    [['worker', '--nats', 'nats://127.0.0.1:1', '--threads', '0'], /--threads must be/],
    [['coordinator', '--nats', 'nats://127.0.0.1:1', '--user', 'u'], /--user and --password go together/],
    [['coordinator', '--nats', 'nats://127.0.0.1:1', '--token', 't', '--creds', 'c.creds'], /give one kind of NATS credentials/],
    [['cluster'], /cluster needs a subcommand/],
    [['cluster', 'up', '--workers', '0'], /--workers must be/],
  ];
  for (const [args, message] of cases) {
    const run = await cli(args);
    t.equal(run.code, ExitCode.usage, args.join(' '));
    t.match(run.stderr, message, args.join(' '));
  }
});

t.test('usage - flags are checked by name before anything runs (exit 2)', async (t) => {
  const cases: [string[], RegExp][] = [
    [['train', '--arch', '4-3-1', '--out', 'x.json'], /--arch: the last width is the number of classes/],
    [['train', '--arch', '4-3-2', '--lr', '-1', '--out', 'x.json'], /--lr must be a positive number/],
    [['recover', '--target', 'n.json', '--out', 'r.json', '--budget', '-3'], /--budget must be a non-negative integer/],
    [['recover', '--target', 'n.json', '--out', 'r.json', '--seed', 'abc'], /--seed must be an integer/],
    [['recover', '--target', 'n.json', '--out', 'r.json', '--oracle-header', 'X: y'], /--oracle-header goes with --oracle/],
    [['recover', '--oracle', 'http://h', '--out', 'r.json', '--oracle-header', 'no colon'], /--oracle-header: header must look like 'Name: value'/],
    [['recover', '--oracle', 'ftp://h', '--out', 'r.json'], /--oracle: baseUrl must be an http\(s\) URL/],
    [['recover', '--target', 'n.json', '--out', '/no/such/dir/r.json'], /--out: directory '\/no\/such\/dir' does not exist/],
    [['oracle', 'serve', '--target', 'n.json', '--port', '70000'], /--port must be at most 65535/],
    [['oracle', 'serve', '--target', 'n.json', '--onnx', 'm.onnx'], /exactly one of --target, --onnx/],
  ];
  for (const [args, message] of cases) {
    const run = await cli(args);
    t.equal(run.code, ExitCode.usage, args.join(' '));
    t.match(run.stderr, message);
  }
});
