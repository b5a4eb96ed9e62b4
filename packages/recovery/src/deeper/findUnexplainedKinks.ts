import { findKinks } from '@relurec/geometry';
import type { DenseLayer } from '@relurec/network';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import { localState } from '../known/localState.js';
import type { Seed } from './findDeeperLayer.js';
import { measureNormal } from './traceBoundary.js';
import { hypot } from '@relurec/linalg';

/**
 * Section 7, 'search specifically for rare neurons': kinks on segments through given centres
 * (samples the recovered network does not reproduce: a missing neuron is active there), each from
 * the centre out to a random point and as far beyond it. Kinks explained by a known boundary
 * (position alone) are skipped; the others get a measured normal and become seeds, until `enough`
 * seeds are found.
 */
export async function findUnexplainedKinks(ctx: RecoveryContext, known: readonly DenseLayer[], centers: Float64Array[], segmentsPerCenter = 4, enough = 2): Promise<Seed[]> {
  const { probe, tol, rng } = ctx;
  const n0 = probe.inputDim;
  const seeds: Seed[] = [];
  const spent0 = probe.spent;
  let segments = 0;
  const explained = (p: Float64Array) => {
    const st = localState(known, p);
    return st.zetas.some((z, l) => Array.from(z).some((v, j) => {
      const gn = hypot(st.grads[l].subarray(j * n0, (j + 1) * n0));
      return gn > 0 && Math.abs(v) < 1e-6 * tol.domainScale * gn;
    }));
  };
  // Segments in rounds over the centres (each a sample the model misses), stopping once `enough`
  // seeds are found: a missing neuron's boundary is crossed by about one segment in three, and the
  // next round of the search (if the fit still misses) looks again.
  for (let s = 0; s < segmentsPerCenter && seeds.length < enough; s++) {
    for (const c of centers) {
      if (seeds.length >= enough) break;
      const b = rng.gaussianArray(n0).map((v) => v * tol.domainScale);
      const dir = b.map((v, i) => v - c[i]);
      segments++;
      const { kinks } = await findKinks(probe, { origin: c, direction: dir, t0: -1, t1: 1 }, { tolerance: tol.value });
      const len = hypot(dir);
      for (const k of kinks) {
        if (explained(k.point)) continue;
        const normal = await measureNormal(ctx, known, k.point, dir.map((v) => v / len));
        if (normal) seeds.push({ point: k.point, normal });
      }
    }
  }
  ctx.log(`rare-neuron search: ${segments} segments, ${seeds.length} unexplained kinks (${probe.spent - spent0} queries)`);
  return seeds;
}
