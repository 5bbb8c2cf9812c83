// Turns the relaxed-SIMD build's pre-standard opcodes into the standard ones.
//
// Emscripten 3.1.6 (clang 14, binaryen 108) only knows the relaxed-SIMD
// proposal's prototype encoding, which today's engines reject ("invalid simd
// opcode"); the newer toolchains that emit the standard encoding cannot be
// put through Emscripten 3.1.6's binaryen. So the relaxed build is compiled
// and linked by Emscripten as usual and this step rewrites the finished
// module: it walks every instruction of every function body (so that bytes
// inside constants, shuffles or memory offsets are never mistaken for an
// opcode) and re-encodes
//   prototype f32x4.fma  (0xfd 0xaf 0x01)  ->  f32x4.relaxed_madd (0xfd 0x85 0x02)
// Both encodings are 3 bytes, so nothing moves: section sizes, function
// offsets and debug information stay valid.
//
// The operands keep their order. relaxed_madd(a, b, c) is a * b + c; the
// prototype, as binaryen 108 reads it, was a + b * c. The kernels call the
// builtin with the standard meaning (kernels/common/f32x4_relaxed.h), which
// holds because no tool before this step computes the instruction: LLVM
// treats it as an opaque intrinsic, and binaryen would only evaluate one whose
// three operands are all constants, which no kernel has (each multiplies
// values it loads). The kernel tests check every relaxed variant against its
// reference. Any other prototype relaxed opcode stops the build: it has no
// mapping here.
//
// Usage: node scripts/relax-wasm-opcodes.mjs module.wasm [more.wasm...]  (in place)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROTOTYPE_TO_STANDARD = new Map([
  [0xaf, 0x105], // f32x4.fma -> f32x4.relaxed_madd
  [0xcf, 0x107], // f64x2.fma -> f64x2.relaxed_madd
]);
// The rest of the prototype's relaxed opcodes (swizzle, trunc, fms, laneselect,
// min/max), as LLVM 14 encodes them: like the two above, gaps in the standard
// SIMD numbering.
const PROTOTYPE_UNMAPPED = new Set([0xa2, 0xa5, 0xa6, 0xc5, 0xc6, 0xb0, 0xd0, 0xb2, 0xb3, 0xd2, 0xd3, 0xb4, 0xe2, 0xd4, 0xee]);

class Reader {
  constructor(bytes, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }
  byte() {
    if (this.pos >= this.bytes.length) throw new Error('unexpected end of module');
    return this.bytes[this.pos++];
  }
  u32() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift > 35) throw new Error(`LEB128 too long at ${this.pos}`);
    }
  }
  skipLeb() {
    for (let n = 0; this.byte() & 0x80; n++) if (n > 10) throw new Error(`LEB128 too long at ${this.pos}`);
  }
  skip(n) {
    this.pos += n;
    if (this.pos > this.bytes.length) throw new Error('unexpected end of module');
  }
  memarg() {
    const align = this.u32();
    if (align & 0x40) this.u32(); // multi-memory: a memory index
    this.skipLeb(); // offset
  }
}

// Skips one standard SIMD instruction's immediates (the 0xfd prefix and
// opcode already read).
function simdImmediates(r, op) {
  if (op <= 0x0b || op === 0x5c || op === 0x5d) return r.memarg();
  if (op === 0x0c || op === 0x0d) return r.skip(16); // v128.const, i8x16.shuffle
  if (op >= 0x15 && op <= 0x22) return r.skip(1); // extract/replace_lane
  if (op >= 0x54 && op <= 0x5b) {
    r.memarg();
    return r.skip(1); // load/store_lane
  }
}

const MEMARG = (op) => op >= 0x28 && op <= 0x3e;

// Walks one function body's instructions, rewriting prototype opcodes in
// place; returns the number rewritten.
function rewriteBody(bytes, start, end) {
  const r = new Reader(bytes, start);
  for (let groups = r.u32(); groups > 0; groups--) {
    r.skipLeb(); // count
    skipValType(r);
  }
  let rewritten = 0;
  let depth = 1;
  while (depth > 0) {
    const op = r.byte();
    switch (op) {
      case 0x02: case 0x03: case 0x04: case 0x06: // block loop if try
        r.skipLeb(); // block type: 0x40, a value type or a type index (s33)
        depth++;
        break;
      case 0x0b: // end
        depth--;
        break;
      case 0x18: // delegate: ends the try
        r.skipLeb();
        depth--;
        break;
      case 0x07: case 0x08: case 0x09: case 0x0c: case 0x0d: case 0x10: case 0x12: // catch throw rethrow br br_if call return_call
      case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0xd2: // locals globals tables ref.func
        r.skipLeb();
        break;
      case 0x0e: // br_table
        for (let n = r.u32() + 1; n > 0; n--) r.skipLeb();
        break;
      case 0x11: case 0x13: // call_indirect return_call_indirect
        r.skipLeb();
        r.skipLeb();
        break;
      case 0x1c: // select t*
        for (let n = r.u32(); n > 0; n--) skipValType(r);
        break;
      case 0x3f: case 0x40: // memory.size memory.grow
        r.skipLeb();
        break;
      case 0x41: case 0x42: // i32.const i64.const
        r.skipLeb();
        break;
      case 0x43:
        r.skip(4);
        break;
      case 0x44:
        r.skip(8);
        break;
      case 0xd0: // ref.null t
        skipValType(r);
        break;
      case 0xfc:
        miscImmediates(r, r.u32());
        break;
      case 0xfe: { // threads
        const sub = r.u32();
        if (sub === 0x03) r.skip(1); // atomic.fence
        else r.memarg();
        break;
      }
      case 0xfd: {
        const at = r.pos;
        const sub = r.u32();
        const standard = PROTOTYPE_TO_STANDARD.get(sub);
        if (standard !== undefined) {
          if (r.pos - at !== 2) throw new Error(`unexpected encoding of SIMD opcode ${sub} at ${at}`);
          bytes[at] = 0x80 | (standard & 0x7f);
          bytes[at + 1] = standard >> 7;
          rewritten++;
        } else if (PROTOTYPE_UNMAPPED.has(sub)) {
          throw new Error(`prototype relaxed-SIMD opcode 0x${sub.toString(16)} at ${at} has no standard mapping here`);
        } else {
          simdImmediates(r, sub);
        }
        break;
      }
      default:
        if (MEMARG(op)) r.memarg();
        else if (op > 0xd2 && op !== 0xd1) throw new Error(`unknown opcode 0x${op.toString(16)} at ${r.pos - 1}`);
      // the rest (0x00 0x01 0x05 0x0f 0x19 0x1a 0x1b, numeric 0x45-0xc4, 0xd1) has no immediates
    }
  }
  if (r.pos !== end) throw new Error(`function body ends at ${r.pos}, expected ${end}`);
  return rewritten;
}

function skipValType(r) {
  const t = r.byte();
  if (t === 0x63 || t === 0x64) r.skipLeb(); // (ref null? ht)
}

function miscImmediates(r, sub) {
  if (sub <= 7) return; // trunc_sat
  const counts = { 8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1 };
  if (!(sub in counts)) throw new Error(`unknown 0xfc opcode ${sub} at ${r.pos}`);
  for (let n = counts[sub]; n > 0; n--) r.skipLeb();
}

/** Rewrites `bytes` (a Uint8Array holding a module) in place; returns how many instructions changed. */
export function relaxOpcodes(bytes) {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error('not a WebAssembly module');
  const r = new Reader(bytes, 8);
  let rewritten = 0;
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 10) {
      for (let n = r.u32(); n > 0; n--) {
        const bodySize = r.u32();
        const bodyEnd = r.pos + bodySize;
        rewritten += rewriteBody(bytes, r.pos, bodyEnd);
        r.pos = bodyEnd;
      }
      if (r.pos !== end) throw new Error('code section size mismatch');
    }
    r.pos = end;
  }
  return rewritten;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) {
    const bytes = new Uint8Array(readFileSync(file));
    const count = relaxOpcodes(bytes);
    if (count === 0) throw new Error(`${file}: no relaxed-SIMD instruction found (was it compiled with -mrelaxed-simd?)`);
    writeFileSync(file, bytes);
  }
}
