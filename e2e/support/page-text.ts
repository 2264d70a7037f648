import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

/** Waits until the element's text is (or matches) what is expected: the page may still be loading. */
export const shows = (locator: Locator, expected: string | RegExp, timeout = 15_000) =>
  typeof expected === 'string'
    ? expect.poll(async () => (await locator.textContent())?.trim(), { timeout }).toBe(expected)
    : expect.poll(async () => (await locator.textContent())?.trim(), { timeout }).toMatch(expected);
