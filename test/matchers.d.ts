// Type of the shared `toBeAllclose` matcher that test/setup.ts registers.
import 'vitest';
import type { AllcloseOptions } from './allclose';

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must match vitest's own declaration
  interface Assertion<T = any> {
    /** numpy.allclose: |received - expected| <= atol + rtol * |expected| elementwise. */
    toBeAllclose(expected: unknown, options?: AllcloseOptions): T;
  }
  interface AsymmetricMatchersContaining {
    toBeAllclose(expected: unknown, options?: AllcloseOptions): unknown;
  }
}
