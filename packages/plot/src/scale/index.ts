export { ScaleKind } from './Scale.js';
export type { Scale, Tick } from './Scale.js';
export { linearScale, niceStep } from './linearScale.js';
export type { LinearScaleOptions } from './linearScale.js';
export { logScale } from './logScale.js';
export { niceDomain } from './niceDomain.js';
export { formatTickLabel } from './formatTickLabel.js';
