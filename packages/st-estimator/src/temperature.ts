import type { Schedule } from './types';

function checkStep(step: number, fn: string): number {
  if (!Number.isFinite(step) || step < 0)
    throw new Error(`${fn}: step must be a finite number >= 0, got ${step}`);
  return step;
}

function checkPositive(v: number, fn: string, arg: string): void {
  if (!(Number.isFinite(v) && v > 0)) throw new Error(`${fn}: ${arg} must be a finite number > 0, got ${v}`);
}

/** A constant temperature: tau(step) = value. */
export function constantTemperature(value: number): Schedule {
  checkPositive(value, 'constantTemperature', 'value');
  return (step) => {
    checkStep(step, 'constantTemperature');
    return value;
  };
}

/** Linear annealing from `from` at step 0 to `to` at step `steps`, then held at `to`. */
export function linearTemperature(from: number, to: number, steps: number): Schedule {
  checkPositive(from, 'linearTemperature', 'from');
  checkPositive(to, 'linearTemperature', 'to');
  checkPositive(steps, 'linearTemperature', 'steps');
  return (step) => {
    const t = Math.min(checkStep(step, 'linearTemperature') / steps, 1);
    return from + (to - from) * t;
  };
}

/**
 * Exponential (geometric) annealing from `from` at step 0 to `to` at step `steps`, then held at
 * `to`: tau = from * (to / from)^(step / steps), as in GDAS (10 to 0.1 over the search).
 */
export function exponentialTemperature(from: number, to: number, steps: number): Schedule {
  checkPositive(from, 'exponentialTemperature', 'from');
  checkPositive(to, 'exponentialTemperature', 'to');
  checkPositive(steps, 'exponentialTemperature', 'steps');
  return (step) => {
    const t = Math.min(checkStep(step, 'exponentialTemperature') / steps, 1);
    return from * (to / from) ** t;
  };
}
