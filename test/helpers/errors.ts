import { expect } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';

/** The OnboardError `fn` throws; fails the test when it throws nothing or something else. */
export function errorOf(fn: () => unknown): OnboardError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OnboardError);
    return error as OnboardError;
  }
  throw new Error('expected an error');
}

/** The value, or the error code when `fn` throws an OnboardError: for one-line tables mixing both. */
export function valueOrCode<T>(fn: () => T): T | string {
  try {
    return fn();
  } catch (error) {
    if (error instanceof OnboardError) return error.code;
    throw error;
  }
}
