import { parseArchitecture } from '@relurec/network';
import { parseExperimentSpec } from '../spec/parseExperimentSpec.js';
import type { ExperimentSpec } from '../spec/ExperimentSpec.js';
import type { ExperimentCell, ResolvedSetting } from './ExperimentCell.js';

/** Defaults of a setting that leaves fields out (see ExperimentSetting). */
export interface CellDefaults {
  /** Workers recorded when a setting names none. Default 1. */
  workers?: number;
}

/**
 * Every cell of the spec, in a fixed order: architectures (outermost), inits, seeds, settings, each
 * in the spec's order. Ids are `<arch>/<init>/seed<seed>/<setting>`; a spec without settings has one
 * named 'default'. The recovery seed defaults to the target seed.
 * @throws ExperimentSpecError naming the field when the spec is invalid
 */
export function expandCells(spec: ExperimentSpec, defaults: CellDefaults = {}): ExperimentCell[] {
  const valid = parseExperimentSpec(spec, '<spec>');
  const workers = defaults.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) throw new RangeError(`defaults.workers must be a positive integer, got ${workers}`);
  const settings = valid.settings ?? [{ name: 'default' }];
  const cells: ExperimentCell[] = [];
  for (const arch of valid.architectures) {
    const architecture = Object.freeze(parseArchitecture(arch));
    for (const init of valid.inits) {
      for (const seed of valid.seeds) {
        for (const s of settings) {
          const setting: ResolvedSetting = Object.freeze({
            name: s.name,
            workers: s.workers ?? workers,
            budget: s.budget ?? null,
            domainScale: s.domainScale ?? 1,
            recoverySeed: s.recoverySeed ?? seed,
          });
          cells.push(Object.freeze({ id: `${arch}/${init}/seed${seed}/${s.name}`, architecture, arch, init, seed, setting }));
        }
      }
    }
  }
  return cells;
}
