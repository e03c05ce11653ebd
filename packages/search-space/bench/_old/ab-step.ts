// Temporary A/B (not committed): supernet steps with the HEAD sources vs the working tree, alternating.
import { createEstimator, createRng } from '@stnas/st-estimator';
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { median, timeIt } from '../../../../bench/report';
import * as NEW from '../../src/index';
import * as OLD from './src/index';
const { setupWasmBackend } = (await import('../../../trainer/src/backend/wasm-node' as string)) as {
  setupWasmBackend: () => Promise<unknown>;
};
await setupWasmBackend();
await tf.setBackend('wasm');
const dim = 640;
const config = { ...NEW.WSJ_STNAS_CONFIG, net_configs: { ...NEW.WSJ_STNAS_CONFIG.net_configs, odims: [dim], idim_sub: dim, odim_sub: dim } };
const nets = { old: OLD.buildSupernet(config), new: NEW.buildSupernet(config) };
const x = tf.randomNormal([16, 300, 120]) as tf.Tensor3D;
const lengths = new Array(16).fill(300);
const st = createEstimator('st');
type Mode = 'warmup' | 'train' | 'search';
const step = (net: NEW.SearchSpaceModel, mode: Mode, seed: number) => () => {
  const rng = createRng(seed);
  const vars = mode === 'search' ? net.archVariables() : net.weightVariables();
  const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.logSoftmax(net.apply(x, lengths, { mode, rng, estimator: st, training: true }).logits))) as tf.Scalar, vars);
  value.dataSync();
  tf.dispose([value, ...Object.values(grads)]);
};
const t: Record<string, number[]> = {};
for (let r = 0; r < 5; r++)
  for (const mode of ['warmup', 'train', 'search'] as const)
    for (const k of ['old', 'new'] as const)
      { if (r === 0) step(nets[k] as NEW.SearchSpaceModel, mode, r)(); const c0 = process.cpuUsage(); step(nets[k] as NEW.SearchSpaceModel, mode, r)(); const c = process.cpuUsage(c0); (t[`${mode} ${k}`] ??= []).push((c.user + c.system) / 1000); }
for (const [k, v] of Object.entries(t)) console.log(k.padEnd(14), v.map(Math.round).join(' '), 'min', Math.min(...v).toFixed(0), 'median', median(v).toFixed(0), 'ms', Math.round(4800 / (median(v) / 1000)), 'frames/s');
console.log('load', (await import('node:os')).loadavg()[0]);
