// scripts/relax-wasm-opcodes.mjs, which re-encodes the relaxed build's
// prototype fused multiply-add as the standard f32x4.relaxed_madd: it must
// rewrite instructions only (never the same bytes inside an immediate), keep
// the operand order whose meaning is a * b + c, and refuse what it cannot map.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { relaxOpcodes } from '../../scripts/relax-wasm-opcodes.mjs';
import { hasRelaxedSimd } from '../../wasm/js/loader.js';

const PROTOTYPE_FMA = [0xfd, 0xaf, 0x01];
const STANDARD_MADD = [0xfd, 0x85, 0x02];
const f32 = (x) => [...new Uint8Array(new Float32Array([x]).buffer)];

// () -> f32: lane 0 of madd(a, splat(2), splat(3)), a's lane 0 being 1 and
// its other lanes holding the prototype opcode's bytes.
function moduleWith(op) {
  const body = [
    0, // no locals
    0xfd, 0x0c, ...f32(1), ...PROTOTYPE_FMA, 0, ...PROTOTYPE_FMA, 0, ...PROTOTYPE_FMA, 0, // v128.const
    0x43, ...f32(2), 0xfd, 0x13, // f32.const 2, f32x4.splat
    0x43, ...f32(3), 0xfd, 0x13,
    ...op,
    0xfd, 0x1f, 0, // f32x4.extract_lane 0
    0x0b,
  ];
  return new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 5, 1, 0x60, 0, 1, 0x7d, // type () -> f32
    3, 2, 1, 0, // one function
    7, 5, 1, 1, 0x66, 0, 0, // export "f"
    10, body.length + 2, 1, body.length, ...body,
  ]);
}

test('the prototype fma instruction becomes relaxed_madd; the same bytes in a v128.const stay', () => {
  const original = moduleWith(PROTOTYPE_FMA);
  const rewritten = original.slice();
  assert.equal(relaxOpcodes(rewritten), 1);
  const changed = [...rewritten.keys()].filter((i) => rewritten[i] !== original[i]);
  const at = original.length - 1 - 3 - 3; // before extract_lane and end
  assert.deepEqual(changed, [at + 1, at + 2]);
  assert.deepEqual([...rewritten.slice(at, at + 3)], STANDARD_MADD);
  assert.equal(WebAssembly.validate(rewritten), hasRelaxedSimd(), 'valid exactly where the engine has relaxed SIMD');
});

test('the rewritten instruction computes a * b + c in an engine with relaxed SIMD', () => {
  const rewritten = moduleWith(PROTOTYPE_FMA);
  relaxOpcodes(rewritten);
  const script = `const m = new WebAssembly.Module(Buffer.from('${Buffer.from(rewritten).toString('base64')}', 'base64'));
    console.log(new WebAssembly.Instance(m).exports.f());`;
  const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), '5', '1 * 2 + 3 (the prototype reading, a + b * c, would give 7)');
});

test('a prototype relaxed opcode without a mapping stops the rewrite', () => {
  assert.throws(() => relaxOpcodes(moduleWith([0xfd, 0xb0, 0x01])), /0xb0 .* has no standard mapping/);
  assert.throws(() => relaxOpcodes(new Uint8Array([1, 2, 3, 4])), /not a WebAssembly module/);
});

test('a module already in the standard encoding is left as it is', () => {
  const standard = moduleWith(STANDARD_MADD);
  const copy = standard.slice();
  assert.equal(relaxOpcodes(copy), 0);
  assert.deepEqual(copy, standard);
});
