// wasm-opt -Oz over every module of the split build in one process: the npm binaryen is
// binaryen.js, and starting it once per module (hundreds of small chunks) took minutes.
// Usage: node wasm-opt-all.mjs FILE.wasm...
import binaryen from 'binaryen';
import { readFileSync, writeFileSync } from 'node:fs';

binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2); // -Oz
binaryen.setDebugInfo(false);
const features =
  binaryen.Features.MVP |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.SignExt |
  binaryen.Features.MutableGlobals |
  binaryen.Features.ReferenceTypes |
  binaryen.Features.Multivalue;
for (const file of process.argv.slice(2)) {
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(features);
  if (!module.validate()) throw new Error(`${file} does not validate`);
  module.optimize();
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
