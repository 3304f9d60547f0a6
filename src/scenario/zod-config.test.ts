import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import './zod-config.ts';

describe('zod-config', () => {
  it('turns zod’s eval-based JIT off (the production CSP forbids eval)', () => {
    expect(z.config().jitless).toBe(true);
  });

  it('schemas still validate without the JIT', () => {
    const schema = z.object({ a: z.number(), b: z.array(z.string()) });
    expect(schema.safeParse({ a: 1, b: ['x'] }).success).toBe(true);
    expect(schema.safeParse({ a: '1', b: [2] }).error?.issues.map((i) => i.path.join('/'))).toEqual(['a', 'b/0']);
  });
});
