import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ExitCode } from '../src/index.js';
import { plotCommand } from '../src/commands/index.js';
import { commandCli } from './fixtures/commandCli.js';
import { writeTarget } from './fixtures/relurec.js';

const plot = (args: string[]) => commandCli('plot', plotCommand, ['plot', ...args]);

/** Boundary paths of a written SVG, after checking that it is well-formed XML. */
async function boundaryPaths(file: string): Promise<Record<string, string>[]> {
  const svg = await readFile(file, 'utf8');
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`${file} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const paths: Record<string, string>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'path') for (const p of [value].flat()) if ((p as Record<string, string>).class === 'boundary') paths.push(p as Record<string, string>);
      visit(value);
    }
  };
  visit(new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg));
  return paths;
}

t.test('plot - boundaries of a 2-4-1 net against a copy of itself: an SVG with solid and dashed paths', async (t) => {
  const dir = t.testdir();
  const truth = await writeTarget(join(dir, 'truth.json'), [2, 4, 1], 1);
  const rec = await writeTarget(join(dir, 'rec.json'), [2, 4, 1], 1);
  const out = join(dir, 'fig.svg');
  const run = await plot([truth, rec, '--out', out, '--range', '4']);
  t.equal(run.code, ExitCode.done, run.stderr);
  t.match(run.stdout, /wrote .*fig\.svg: neuron boundaries of truth 2-4-1 \(solid\) and recovered 2-4-1 \(dashed\) over \[-4, 4\]\^2/);
  const paths = await boundaryPaths(out);
  const truthPaths = paths.filter((p) => p['data-network'] === 'truth'), recPaths = paths.filter((p) => p['data-network'] === 'recovered');
  t.ok(truthPaths.length >= 1 && truthPaths.length <= 4);
  t.equal(recPaths.length, truthPaths.length, 'the same network twice: the same boundaries');
  t.ok(recPaths.every((p) => p['stroke-dasharray'] !== undefined));
});

t.test('plot - a network without 2 inputs exits 2 naming the file and its input dimension', async (t) => {
  const dir = t.testdir();
  const wide = await writeTarget(join(dir, 'wide.json'), [10, 5, 1]);
  const run = await plot([wide, '--out', join(dir, 'fig.svg')]);
  t.equal(run.code, ExitCode.usage);
  t.match(run.stderr, /^relurec: .*wide\.json: boundaries can be drawn for networks with 2 inputs only; the truth network has input dimension 10/m);
  await t.rejects(stat(join(dir, 'fig.svg')), { code: 'ENOENT' }, 'nothing is written');

  const two = await writeTarget(join(dir, 'two.json'), [2, 3, 1]);
  const rec = await plot([two, wide, '--out', join(dir, 'fig.svg')]);
  t.equal(rec.code, ExitCode.usage);
  t.match(rec.stderr, /wide\.json: .*recovered network has input dimension 10/);
});

t.test('plot - bad flags and files exit 2', async (t) => {
  const dir = t.testdir();
  const two = await writeTarget(join(dir, 'two.json'), [2, 3, 1]);
  const range = await plot([two, '--out', join(dir, 'f.svg'), '--range', '-1']);
  t.equal(range.code, ExitCode.usage);
  t.match(range.stderr, /--range must be a positive number/);
  const noDir = await plot([two, '--out', join(dir, 'missing', 'f.svg')]);
  t.equal(noDir.code, ExitCode.usage);
  t.match(noDir.stderr, /--out: directory .* does not exist/);
  const missing = await plot([join(dir, 'nope.json'), '--out', join(dir, 'f.svg')]);
  t.equal(missing.code, ExitCode.usage);
  t.match(missing.stderr, /nope\.json: \(file\): cannot read file/);
  const noOut = await plot([two]);
  t.equal(noOut.code, ExitCode.usage);
  t.match(noOut.stderr, /Missing required argument: out/);
});
