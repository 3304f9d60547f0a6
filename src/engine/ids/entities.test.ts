import { describe, expect, it } from 'vitest';
import { entityId, isThreadEntity, parseEntity } from './entities.ts';

describe('entity ids', () => {
  it('parse what they build, the id keeping its own colons', () => {
    expect(parseEntity(entityId('registration', 'io:3'))).toEqual({ kind: 'registration', id: 'io:3' });
    expect(parseEntity(entityId('irql', 'sys:sampledrv'))).toEqual({ kind: 'irql', id: 'sys:sampledrv' });
    expect(parseEntity('device:toaster0')).toEqual({ kind: 'device', id: 'toaster0' });
  });
  it('reject strings no builder produces', () => {
    for (const s of ['device', '__proto__:x', 'constructor:y', 'nothing:z']) expect(parseEntity(s)).toBeUndefined();
  });
  it('tell scheduler entities apart', () => {
    expect(['thread:pnp', 'irql:pnp', 'device:d', 'threadx:1'].map(isThreadEntity)).toEqual([true, true, false, false]);
  });
});
