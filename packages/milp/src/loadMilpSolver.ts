import highs, { type Highs } from 'highs';

/** A loaded HiGHS (WebAssembly, single-threaded): its solves are synchronous once loaded. */
export type MilpSolver = Highs;

// The package's types describe it as CommonJS, but Node's ESM import takes its ES build, whose
// default export is the loader itself.
type Loader = typeof highs.default;
const loadHighs: Loader = (highs as unknown as { default?: Loader }).default ?? (highs as unknown as Loader);

let loading: Promise<MilpSolver> | undefined;

/** The solver, loaded once per thread (the WebAssembly module is compiled on first use). */
export function loadMilpSolver(): Promise<MilpSolver> {
  return (loading ??= loadHighs());
}
