import { describe, expect, it } from 'vitest';
import { RULE_IDS, type RuleId } from './ids.ts';
import { BUGCHECKS, PROVENANCE_LABEL, RULES, SEED_DOCS, rule, ruleCase, worstCase } from './catalog.ts';

const all = Object.values(RULES);
const sentences = (text: string) => text.split(/(?<=[.!?])\s+(?=[A-Z'(*])/).filter((s) => s.trim() !== '');

describe('rule catalogue: completeness', () => {
  it('has an entry for every rule id, and nothing else', () => {
    expect(Object.keys(RULES).sort()).toEqual([...RULE_IDS].sort());
  });

  it('stores each rule under its own id', () => {
    for (const [key, r] of Object.entries(RULES)) expect(r.id).toBe(key);
  });

  it('rule() returns the catalogue entry and refuses unknown ids', () => {
    for (const id of RULE_IDS as readonly RuleId[]) expect(rule(id)).toBe(RULES[id]);
    expect(() => rule('XX-1' as RuleId)).toThrow(/XX-1/);
  });
});

describe('rule catalogue: text', () => {
  it.each(all.map((r) => [r.id, r] as const))('%s has a short title and a spec section', (_id, r) => {
    expect(r.title.trim()).not.toBe('');
    expect(r.title.length).toBeLessThanOrEqual(80);
    expect(r.section).toMatch(/^§\d/);
  });

  it.each(all.map((r) => [r.id, r] as const))('%s explanation is one plain-text paragraph of 3-6 sentences', (_id, r) => {
    expect(r.explanation.trim()).not.toBe('');
    expect(r.explanation).not.toMatch(/\n/);
    expect(r.explanation).not.toMatch(/[`#]|\*\*|\]\(/);
    const n = sentences(r.explanation).length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(6);
  });

  it('explains the why the spec asks for', () => {
    // UN-3: the NotificationEntry is not even written during the replay (IO-1).
    expect(rule('UN-3').explanation).toMatch(/NotificationEntry/);
    expect(rule('UN-3').explanation).toMatch(/IO-1/);
    expect(rule('UN-3').explanation).toMatch(/not even written/);
    // CM-6: why deferring to a threadpool work item is the fix.
    expect(rule('CM-6').explanation).toMatch(/SubmitThreadpoolWork/);
    expect(rule('CM-6').explanation).toMatch(/QueueUserWorkItem/);
    expect(rule('CM-6').explanation).toMatch(/waits for/);
    // UN-5 / CM-10: free only after the unregister returned.
    expect(rule('UN-5').explanation).toMatch(/IoUnregisterPlugPlayNotificationEx, then free/);
    expect(rule('CM-10').explanation).toMatch(/CM_Unregister_Notification first, then free/);
  });
});

describe('rule catalogue: provenance', () => {
  it('labels every provenance value', () => {
    expect(PROVENANCE_LABEL).toEqual({
      DOC: 'documented',
      OBS: 'observed',
      CHOICE: 'modelling choice',
      'DOC+OBS': 'documented + observed',
    });
  });

  it('uses only valid provenance values', () => {
    for (const r of all) expect(Object.keys(PROVENANCE_LABEL)).toContain(r.provenance);
  });

  it('keeps the provenance exactly as the spec marks it', () => {
    // Rules the spec marks OBS, CHOICE or DOC + OBS must never be shown as plainly documented.
    const marked: Partial<Record<RuleId, string>> = {
      'KE-2': 'DOC+OBS',
      'KE-7': 'OBS',
      'KE-10': 'OBS',
      'IO-1': 'DOC+OBS',
      'IO-2': 'DOC+OBS',
      'IO-4': 'OBS',
      'UN-2': 'DOC+OBS',
      'UN-7': 'CHOICE',
      'CM-1': 'OBS',
      'CM-11': 'CHOICE',
      'DL-1': 'CHOICE',
    };
    for (const [id, p] of Object.entries(marked)) expect(rule(id as RuleId).provenance, id).toBe(p);
  });

  it('explains every mixed provenance in a note', () => {
    for (const r of all.filter((r) => r.provenance === 'DOC+OBS')) expect(r.provenanceNote, r.id).toBeTruthy();
    // Rules the spec marks DOC with an OBS or CHOICE part inside.
    const mixed: [RuleId, RegExp][] = [
      ['KE-4', /NULL is observed/],
      ['IO-3', /observed/],
      ['UN-5', /0x50.*modelling choice/],
      ['RM-1', /DEVICEREMOVECOMPLETE after IRP_MN_REMOVE_DEVICE is a modelling choice/],
      ['RM-2', /modelling choice/],
      ['RM-3', /observed/],
      ['RM-4', /observed/],
      ['RM-5', /observed/],
      ['RM-6', /modelling choice/],
      ['CM-1', /modelling choices/],
      ['CM-8', /modelling choice/],
      ['CU-1', /STATUS_PENDING return value is observed/],
      ['CU-2', /observed/],
      ['IRQL-1', /modelling choice/],
    ];
    for (const [id, note] of mixed) expect(rule(id).provenanceNote, id).toMatch(note);
  });
});

describe('rule catalogue: cases, severity and bug checks', () => {
  const cases = all.flatMap((r) => Object.entries(r.cases).map(([name, c]) => [r.id, name, c] as const));

  it('gives the deadlock rules a deadlock case', () => {
    for (const id of ['UN-3', 'UN-4', 'CM-6', 'KE-7', 'CU-8', 'DL-1', 'CM-12', 'IO-7'] as const) expect(ruleCase(id, 'deadlock').severity, id).toBe('deadlock');
  });

  it('gives a bug check code to every bug check case, and only to those', () => {
    for (const [id, name, c] of cases) {
      if (c.severity === 'bugcheck') expect(c.bugcheck, `${id} ${name}`).toMatch(/^0x[0-9A-F]{2} [A-Z_]+/);
      else expect(c.bugcheck, `${id} ${name}`).toBeUndefined();
      expect(c.when.trim(), `${id} ${name}`).not.toBe('');
    }
  });

  it('uses the bug check codes of the spec, per case', () => {
    const expected: [RuleId, string, string][] = [
      ['KE-5', 'call', '0xCE'],
      ['DRV-3', 'call', '0xCE'],
      ['IO-7', 'irql', '0xCA'],
      ['UN-5', 'useAfterFree', '0x50'],
      ['UN-5', 'doubleFree', '0xC2'],
      ['IRQL-1', 'verifier', '0xC4'],
      ['CU-5', 'pagedAtDispatch', '0xD1'],
    ];
    for (const [id, name, code] of expected) {
      expect(ruleCase(id, name).severity, id).toBe('bugcheck');
      expect(ruleCase(id, name).bugcheck?.startsWith(code + ' '), id).toBe(true);
    }
    expect(BUGCHECKS.PNP_FATAL_IRQL).toMatch(/0xA/);
  });

  it('lists each circumstance of a rule whose consequence depends on it', () => {
    expect(rule('KE-5').cases).toMatchObject({ unload: { severity: 'warning' }, call: { severity: 'bugcheck' } });
    expect(rule('CU-5').cases).toMatchObject({ pagedAtDispatch: { severity: 'bugcheck' }, pagedContext: { severity: 'error' } });
    expect(worstCase('KE-5')?.severity).toBe('bugcheck');
    expect(worstCase('KE-1')).toBeNull();
    expect(() => ruleCase('KE-5', 'nope')).toThrow(/KE-5.*nope/);
    expect(() => ruleCase('KE-1', 'toString')).toThrow(/KE-1/);
  });

  it('does not present a user-mode use-after-free as a system bug check', () => {
    for (const c of Object.values(rule('CM-10').cases)) expect(c.severity).not.toBe('bugcheck');
    expect(rule('CM-10').explanation).toMatch(/does not bug check Windows/);
  });
});

describe('rule catalogue: sources', () => {
  it('names a seed page by its English title, or another page by title', () => {
    for (const r of all) {
      expect(r.source.title.trim(), r.id).not.toBe('');
      if (r.source.id !== 'other') expect(r.source, r.id).toEqual(SEED_DOCS[r.source.id]);
    }
  });

  it('lists only seed documents as seeds', () => {
    for (const r of all) for (const s of r.seeds) expect(Object.keys(SEED_DOCS), r.id).toContain(s);
  });

  it('cites each seed at least once', () => {
    const cited = new Set(all.flatMap((r) => r.seeds));
    expect([...cited].sort()).toEqual(['000', '001', '002', '003', '004']);
  });
});
