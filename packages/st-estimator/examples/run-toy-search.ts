// `npx tsx --conditions=@stnas/source examples/run-toy-search.ts` prints the README's output.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { toySearch } from './toy-search';

await tf.setBackend('cpu');
console.log(toySearch(0));
