import { solveLeastSquares, hypot } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { outsized, stackBlock, type UnsignedRow } from './solveLayerSigns.js';

export interface MissingInStack {
  /** Flip indicators of the known layer-(k-1) rows (1 = recovered sign wrong). */
  flips: Uint8Array;
  /** Largest distance of the indicators from {0, 1} before rounding. */
  margin: number;
  /** Relative residual of the stack with the rounded flips and the missing row (0 = exact). */
  residual: number;
  /** Unit row of the missing layer-(k-1) neuron over h^(k-2) (sign undetermined). */
  row: Float64Array;
  /** Relative share of the stack the missing row carries (|u w| over |lambda|). */
  share: number;
  /** Rows left out as inconsistent with the others (index into the given rows). */
  dropped: number[];
  /** Coordinates of h^(k-2) some kept row sees (row's entries elsewhere are not determined: 0). */
  seen: number[];
}

export interface MissingInStackOptions {
  /** Gauss-Newton steps per start. Default 60. */
  iterations?: number;
  /** Largest indicator distance from {0, 1} accepted. Default 0.05. */
  maxMargin?: number;
  /** Largest relative residual accepted. Default 1e-6. */
  maxResidual?: number;
  /** Rows the trimmed fit may leave out, besides the far outliers screened first. Default max(3, rows / 3). */
  maxDrop?: number;
}

/** One row's block with its projector as a matrix: lambda = A f + u P w. */
interface Block {
  A: Float64Array;
  lambda: Float64Array;
  P: Float64Array;
}

/**
 * A layer-(k-1) neuron active on every point of the layer-k traces is affine in h^(k-2) there, so the
 * unsigned layer-k solves absorb it into lambda (ALGORITHM.md section 4) and the stack of
 * solveLayerSigns does not close: lambda_z = -sum_j f_j c_zj V_j + u_z w, with w the missing
 * neuron's row and u_z its weight into z (10-20-20-20-1 rk 3: every block fits this to 1e-12 with
 * the true flips and row). Bilinear in (u, w). The indicators come from a Gauss-Newton fit over
 * (f, u, w) (wrong rows still in it may push them off {0, 1}: rounded all the same); with them
 * fixed, a least-trimmed-squares rank-one fit of the remainders finds w and the rows it reproduces
 * (rows with c ~ 0, far outliers of the plain stack and up to `maxDrop` more are left out; 10-20-20-20-1
 * rk 2 had 4 wrong rows of 20); the indicators fitted again on those rows alone must round to the same
 * and lie within `maxMargin`. Undefined when nothing passes, or the system is not overdetermined. No queries.
 */
export function missingActiveInStack(prev: DenseLayer, rows: UnsignedRow[], options: MissingInStackOptions = {}): MissingInStack | undefined {
  const n = prev.inDim, k = prev.outDim;
  const maxMargin = options.maxMargin ?? 0.05, maxResidual = options.maxResidual ?? 1e-6, maxDrop = options.maxDrop ?? Math.max(3, Math.floor(rows.length / 3));
  const iterations = options.iterations ?? 60;
  const blocks = rows.map((r): Block => {
    const b = stackBlock(prev, r), P = new Float64Array(n * n);
    for (let c = 0; c < n; c++) {
      const e = new Float64Array(n);
      e[c] = 1;
      const pc = b.project(e);
      for (let i = 0; i < n; i++) P[i * n + c] = pc[i];
    }
    return { A: b.A, lambda: b.lambda, P };
  });
  const overdetermined = (use: number[]) => use.length * n > k + use.length + n;
  // Rows with c ~ 0 carry no sign information (solveLayerSigns leaves them out too).
  let use = blocks.map((_, z) => z).filter((z) => hypot(rows[z].c) > 1e-6 * hypot(rows[z].lambda));
  if (!overdetermined(use)) return undefined;
  // Far outliers (a wrong row) would steer every start: a lambda far larger than c, or a plain-stack
  // remainder far above the others'.
  use = use.filter((z) => !outsized(rows, z, use));
  const plain = plainRemainders(blocks, use, n, k);
  const med = [...plain].sort((a, b) => a - b)[Math.floor(plain.length / 2)];
  use = use.filter((_, r) => !(plain[r] > 10 * med));
  if (!overdetermined(use)) return undefined;
  const screened = rows.length - use.length;
  // The indicators from a Gauss-Newton fit of all kept rows; then, with them fixed, the rank-one
  // fit of the remainders with the rows it reproduces worst trimmed; the indicators again without them.
  for (let round = 0; round < 3; round++) {
    // Wrong rows still in the fit push the indicators off {0, 1} (0.43 on 10-20-20-20-1 carlini 3, 7
    // wrong rows of 21): rounded all the same; wrong ones fail the exact rank-one fit below.
    const fit = fitMissing(blocks, use, n, k, iterations);
    if (!fit) return undefined;
    const fr = Float64Array.from(fit.flips);
    // Fewest rows left out first: with few rows, a trim of a third fits w to three and loses the
    // rest (10-15-15-15-15-1 rk 1, six layer-4 rows: found with none left out, not with 3).
    const most = maxDrop - (rows.length - screened - use.length);
    const more = (d: number) => (most > 1 && d === 0 ? 1 : most);
    let one = trimmedRankOne(blocks, use, n, k, fr, maxResidual, 0);
    for (let drops = 0; ; ) {
      // The missing neuron feeds most rows: a w that only explains one or two of them (wrong rows
      // the others disagree with) is not one.
      const feeds = one.use.filter((z) => {
        const pw = mul(blocks[z].P, one.w, n), d = pw.reduce((a, v) => a + v * v, 0);
        const e = remainder(blocks[z], n, k, fr, undefined, 0);
        const u = d > 0 ? pw.reduce((a, v, i) => a + v * e[i], 0) / d : 0;
        return Math.abs(u) * Math.sqrt(d) > 1e-4 * Math.max(1, hypot(blocks[z].lambda));
      }).length;
      if (one.residual <= maxResidual && one.share > 1e-6 && 2 * feeds >= one.use.length) {
        // The indicators unrounded, from the kept rows alone, must be near {0, 1} too.
        const kept = fitMissing(blocks, one.use, n, k, iterations, one.w);
        if (!kept || kept.flips.some((v, j) => v !== fit.flips[j]) || !(kept.margin <= maxMargin)) {
          // With more rows left out a wrong one may go: tried before giving up.
          if (drops < most) {
            drops = more(drops);
            one = trimmedRankOne(blocks, use, n, k, fr, maxResidual, drops);
            continue;
          }
          return undefined;
        }
        const seen = Array.from({ length: n }, (_, i) => i).filter((i) => one.use.some((z) => blocks[z].P[i * n + i] > 1e-9));
        const row = one.w.map((v, i) => (seen.includes(i) ? v : 0));
        return { flips: fit.flips, margin: kept.margin, residual: one.residual, row: row.map((v) => v / hypot(row)), share: one.share, seen, dropped: rows.map((_, z) => z).filter((z) => !one.use.includes(z)) };
      }
      if (drops >= most) break;
      drops = more(drops);
      one = trimmedRankOne(blocks, use, n, k, fr, maxResidual, drops);
    }
    if (one.use.length === use.length || !overdetermined(one.use)) return undefined;
    use = one.use;
  }
  return undefined;
}

/**
 * With the indicators fixed, the remainders e_z = lambda_z - A_z f are u_z P_z w for the right rows:
 * alternating closed-form steps (u_z = <P_z w, e_z> / |P_z w|^2; w from sum u_z^2 P_z w = sum u_z e_z)
 * inside least-trimmed-squares C-steps (rankOneFrom), from several starts; the exact fit keeping most rows wins.
 */
function trimmedRankOne(blocks: Block[], use0: number[], n: number, k: number, f: Float64Array, maxResidual: number, drops: number): { w: Float64Array; use: number[]; residual: number; share: number } {
  const e = new Map(use0.map((z) => [z, remainder(blocks[z], n, k, f, undefined, 0)]));
  // Starts: the remainders' principal direction (wrong rows can dominate it), and the remainders of
  // the rows that see most of h^(k-2) themselves (each is P_z w for a right row).
  const seeing = [...use0].sort((a, b) => trace(blocks[b].P, n) - trace(blocks[a].P, n)).slice(0, 8);
  const starts = [principalDirections(use0.map((z) => e.get(z)!), n, 1)[0], ...seeing.map((z) => e.get(z)!)].filter((v) => v && hypot(v) > 0);
  let best: { w: Float64Array; use: number[]; residual: number; share: number } | undefined;
  for (const s0 of starts) {
    const got = rankOneFrom(blocks, use0, e, n, s0.map((v) => v / hypot(s0)), maxResidual, drops);
    const exact = (r: typeof got) => r.residual <= maxResidual;
    if (!best || (exact(got) && (!exact(best) || got.use.length > best.use.length)) || (!exact(best) && got.residual < best.residual)) best = got;
  }
  return best ?? { w: new Float64Array(n), use: use0, residual: Infinity, share: 0 };
}

function trace(P: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += P[i * n + i];
  return t;
}

function rankOneFrom(blocks: Block[], use0: number[], e: Map<number, Float64Array>, n: number, w0: Float64Array, maxResidual: number, drops: number): { w: Float64Array; use: number[]; residual: number; share: number } {
  let use = [...use0], w = w0;
  const fitU = (z: number, ww: Float64Array) => {
    const pw = mul(blocks[z].P, ww, n), d = pw.reduce((a, v) => a + v * v, 0);
    return d > 0 ? pw.reduce((a, v, i) => a + v * e.get(z)![i], 0) / d : 0;
  };
  const rowResidual = (z: number) => {
    const u = fitU(z, w), pw = mul(blocks[z].P, w, n);
    return hypot(e.get(z)!.map((v, i) => v - u * pw[i]));
  };
  const solveW = () => {
    for (let it = 0; it < 500; it++) {
      const G = new Float64Array(n * n), rhs = new Float64Array(n);
      for (const z of use) {
        const u = fitU(z, w), P = blocks[z].P, ez = e.get(z)!;
        for (let i = 0; i < n * n; i++) G[i] += u * u * P[i];
        for (let i = 0; i < n; i++) rhs[i] += u * ez[i];
      }
      const { x } = solveLeastSquares(G, n, n, rhs, 1e-12);
      const s = hypot(x);
      if (!(s > 0)) return;
      const next = x.map((v) => v / s);
      const moved = hypot(next.map((v, i) => v - w[i]));
      w = next;
      if (moved < 1e-15) return;
    }
  };
  const lamNorm = () => hypot(use.flatMap((z) => Array.from(blocks[z].lambda)));
  // Least trimmed squares (C-steps): fit the rows the current row reproduces best, all but `drops`,
  // until that set is stable; then every row it reproduces exactly, refitted. A fit of all rows
  // first would be pulled off by the wrong ones (10-20-20-20-1 rk 2: 4 of 20).
  const h = Math.max(3, use0.length - drops);
  const best = () => {
    const r = use0.map((z) => [rowResidual(z), z] as const).sort((a, b) => a[0] - b[0]);
    return r.slice(0, h).map(([, z]) => z).sort((a, b) => a - b);
  };
  use = best();
  for (let it = 0; it < 20; it++) {
    solveW();
    const next = best();
    if (next.join() === use.join()) break;
    use = next;
  }
  const inliers = use0.filter((z) => rowResidual(z) <= maxResidual * Math.max(1, hypot(e.get(z)!)));
  if (inliers.length >= h) {
    use = inliers;
    solveW();
  }
  const res = use.map(rowResidual);
  const share = hypot(use.flatMap((z) => Array.from(mul(blocks[z].P, w, n), (v) => v * fitU(z, w)))) / lamNorm();
  return { w, use, residual: hypot(res) / lamNorm(), share };
}

function plainRemainders(blocks: Block[], use: number[], n: number, k: number): number[] {
  const A = new Float64Array(use.length * n * k), lam = new Float64Array(use.length * n);
  use.forEach((z, r) => {
    A.set(blocks[z].A, r * n * k);
    lam.set(blocks[z].lambda, r * n);
  });
  const { x } = solveLeastSquares(A, use.length * n, k, lam, 1e-12);
  return use.map((z) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let v = blocks[z].lambda[i];
      for (let j = 0; j < k; j++) v -= blocks[z].A[i * k + j] * x[j];
      s += v * v;
    }
    return Math.sqrt(s);
  });
}

/**
 * The best of Gauss-Newton runs from the directions the plain remainders suggest (or from `warm`),
 * polished with the indicators rounded; with each kept row's remainder norm.
 */
function fitMissing(blocks: Block[], use: number[], n: number, k: number, iterations: number, warm?: Float64Array): (Omit<MissingInStack, 'dropped' | 'seen'> & { perRow: number[] }) | undefined {
  const lamNorm = hypot(use.flatMap((z) => Array.from(blocks[z].lambda)));
  if (!(lamNorm > 0)) return undefined;
  const f0 = solveFU(blocks, use, n, k, undefined).f;
  const starts = warm ? [warm] : principalDirections(use.map((z) => remainder(blocks[z], n, k, f0, undefined, 0)), n, 3);
  let best: (Omit<MissingInStack, 'dropped' | 'seen'> & { perRow: number[] }) | undefined;
  for (const w0 of starts) {
    const { f: fs, u: us } = solveFU(blocks, use, n, k, w0);
    const free = gaussNewton(blocks, use, n, k, { f: fs, u: us, w: w0 }, iterations, false);
    const flips = Uint8Array.from(free.f, (v) => (v > 0.5 ? 1 : 0));
    const margin = Math.max(0, ...Array.from(free.f, (v, j) => Math.abs(v - flips[j])));
    const fr = Float64Array.from(flips);
    const polished = gaussNewton(blocks, use, n, k, { f: fr, u: solveFU(blocks, use, n, k, free.w, fr).u, w: free.w }, 20, true);
    const residual = polished.residual / lamNorm;
    let shareSq = 0;
    use.forEach((z, r) => {
      const pw = mul(blocks[z].P, polished.w, n);
      for (let i = 0; i < n; i++) shareSq += (polished.u[r] * pw[i]) ** 2;
    });
    const perRow = use.map((z, r) => hypot(remainder(blocks[z], n, k, margin <= 0.05 ? fr : free.f, polished.w, polished.u[r])));
    const cand = { flips, margin, residual, row: polished.w, share: Math.sqrt(shareSq) / lamNorm, perRow };
    if (!best || (cand.margin <= 0.05 && (best.margin > 0.05 || cand.residual < best.residual))) best = cand;
  }
  return best;
}

/**
 * Gauss-Newton on sum_z |lambda_z - A_z f - u_z P_z w|^2 over (f, u, w), or (u, w) with `fixedF`
 * (a zero-residual problem at the truth: quadratic convergence near it); |w| = 1 after every step,
 * steps halved while they do not descend.
 */
function gaussNewton(blocks: Block[], use: number[], n: number, k: number, x0: { f: Float64Array; u: Float64Array; w: Float64Array }, iterations: number, fixedF: boolean) {
  const Z = use.length, nf = fixedF ? 0 : k, cols = nf + Z + n, R = Z * n;
  let { f, u, w } = x0;
  const resid = (ff: Float64Array, uu: Float64Array, ww: Float64Array) => {
    const r = new Float64Array(R);
    use.forEach((z, b) => r.set(remainder(blocks[z], n, k, ff, ww, uu[b]), b * n));
    return r;
  };
  let r = resid(f, u, w), norm = hypot(r);
  for (let it = 0; it < iterations && norm > 0; it++) {
    const J = new Float64Array(R * cols);
    use.forEach((z, b) => {
      const { A, P } = blocks[z], pw = mul(P, w, n);
      for (let i = 0; i < n; i++) {
        const row = (b * n + i) * cols;
        for (let j = 0; j < nf; j++) J[row + j] = A[i * k + j];
        J[row + nf + b] = pw[i];
        for (let c = 0; c < n; c++) J[row + nf + Z + c] = u[b] * P[i * n + c];
      }
    });
    const { x: d } = solveLeastSquares(J, R, cols, r, 1e-12);
    let step = 1, moved = false;
    for (let h = 0; h < 12; h++, step /= 2) {
      const nf2 = fixedF ? f : f.map((v, j) => v + step * d[j]);
      let nu = u.map((v, b) => v + step * d[nf + b]);
      let nw = w.map((v, c) => v + step * d[nf + Z + c]);
      const s = hypot(nw);
      if (!(s > 0)) continue;
      nw = nw.map((v) => v / s);
      nu = nu.map((v) => v * s);
      const nr = resid(nf2, nu, nw), nn = hypot(nr);
      if (nn < norm) {
        moved = norm - nn > 1e-15 * norm;
        f = nf2; u = nu; w = nw; r = nr; norm = nn;
        break;
      }
    }
    if (!moved) break;
  }
  return { f, u, w, residual: norm };
}

function mul(P: Float64Array, v: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let c = 0; c < n; c++) out[i] += P[i * n + c] * v[c];
  return out;
}

/** lambda_z - A_z f - u_z P_z w for one block (w undefined: no missing row). */
function remainder(b: Block, n: number, k: number, f: Float64Array, w: Float64Array | undefined, u: number): Float64Array {
  const r = Float64Array.from(b.lambda);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) r[i] -= b.A[i * k + j] * f[j];
  if (w) {
    const pw = mul(b.P, w, n);
    for (let i = 0; i < n; i++) r[i] -= u * pw[i];
  }
  return r;
}

/** Least squares over (f, u) with w fixed (one column P_z w per block); without w, over f alone; with `fixedF`, over u alone. */
function solveFU(blocks: Block[], use: number[], n: number, k: number, w: Float64Array | undefined, fixedF?: Float64Array): { f: Float64Array; u: Float64Array } {
  const Z = use.length, nf = fixedF ? 0 : k, cols = nf + (w ? Z : 0), R = Z * n;
  const A = new Float64Array(R * cols), rhs = new Float64Array(R);
  use.forEach((z, b) => {
    const blk = blocks[z], pw = w ? mul(blk.P, w, n) : undefined;
    for (let i = 0; i < n; i++) {
      const row = (b * n + i) * cols;
      let y = blk.lambda[i];
      if (fixedF) for (let j = 0; j < k; j++) y -= blk.A[i * k + j] * fixedF[j];
      else for (let j = 0; j < k; j++) A[row + j] = blk.A[i * k + j];
      if (pw) A[row + nf + b] = pw[i];
      rhs[b * n + i] = y;
    }
  });
  const { x } = solveLeastSquares(A, R, cols, rhs, 1e-12);
  return { f: fixedF ?? x.slice(0, k), u: w ? x.slice(nf, nf + Z) : new Float64Array(Z) };
}

/** The `count` leading left singular directions of the columns (n-vectors), by power iteration with deflation. */
function principalDirections(cols: Float64Array[], n: number, count: number): Float64Array[] {
  const M = new Float64Array(n * n);
  for (const c of cols) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] += c[i] * c[j];
  const out: Float64Array[] = [];
  for (let d = 0; d < Math.min(count, n); d++) {
    let v = Float64Array.from({ length: n }, (_, i) => 1 / Math.sqrt(n) + 1e-3 * ((i * 7919) % 13));
    for (let it = 0; it < 300; it++) {
      for (const q of out) {
        const p = q.reduce((a, x, i) => a + x * v[i], 0);
        v = v.map((x, i) => x - p * q[i]);
      }
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[i] += M[i * n + j] * v[j];
      const s = hypot(w);
      if (!(s > 0)) break;
      v = w.map((x) => x / s);
    }
    if (hypot(v) > 0) out.push(v);
  }
  return out;
}
