/**
 * Where a fragment stands on its way from a worker to the coordinator: `raw` as the worker
 * published it (`relurec.<run>.fragments`), `merged` once the merger service accepted it
 * (`relurec.<run>.merged`: each task's accepted fragment once; the coordinator reads only these).
 */
export const FragmentStage = { raw: 'raw', merged: 'merged' } as const;
export type FragmentStage = (typeof FragmentStage)[keyof typeof FragmentStage];
