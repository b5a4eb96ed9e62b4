import t from 'tap';
import * as api from '../src/index.js';

// The public API of @relurec/network (values; types are checked by the compiler): changing this list is an API change.
t.test('exports - the export list', async (t) => {
  t.same(Object.keys(api).sort(), ["Init","NetworkFormatError","RELU_NET_FORMAT","RELU_NET_VERSION","affine","architecture","canonicalize","cloneNetwork","denseLayer","formatArchitecture","forward","generateNetwork","inputDim","loadNetwork","outputDim","parameterCount","parseArchitecture","parseNetwork","preActivations","saveNetwork","setActivity","toDocument"]);
});
