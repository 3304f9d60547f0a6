// Entity ids of `state` entries, built and parsed here only (docs/trace-format.md "State entities"):
// `<kind>:<id>`, e.g. `device:toaster0`, `registration:io:3`, `thread:pnp`, `irql:sys:sampledrv`.

export const ENTITY_KINDS = [
  'processor', 'memory', 'device', 'interface', 'registration', 'driver', 'app', 'handle', 'workitem', 'pool', 'heap', 'thread', 'irql',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface EntityId {
  kind: EntityKind;
  /** The rest after the first `:` (may itself contain `:`, e.g. `io:3`, `sys:sampledrv`). */
  id: string;
}

export const entityId = <K extends EntityKind>(kind: K, id: string | number): `${K}:${string}` => `${kind}:${id}`;

const isKind = (k: string): k is EntityKind => (ENTITY_KINDS as readonly string[]).includes(k);

/** The kind and id of an entity; undefined for a string no builder here produces. */
export function parseEntity(entity: string): EntityId | undefined {
  const colon = entity.indexOf(':');
  if (colon < 0) return undefined;
  const kind = entity.slice(0, colon);
  return isKind(kind) ? { kind, id: entity.slice(colon + 1) } : undefined;
}

/** The kind of an entity, if it is one. */
export const entityKind = (entity: string): EntityKind | undefined => parseEntity(entity)?.kind;

/** A thread's own state or IRQL (the scheduler's entries, which most views leave out). */
export function isThreadEntity(entity: string): boolean {
  const k = entityKind(entity);
  return k === 'thread' || k === 'irql';
}
