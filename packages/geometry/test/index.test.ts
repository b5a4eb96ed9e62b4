import t from 'tap';
import * as api from '../src/index.js';

// The public API of @relurec/geometry (values; types are checked by the compiler): changing this list is an API change.
t.test('exports - the export list', async (t) => {
  t.same(Object.keys(api).sort(), ["GradientNotFoundError","Probe","ascendInBall","findKinks","jumpNormal","pointOnSegment","regionJacobian","rowKey","segmentBetween"]);
});
