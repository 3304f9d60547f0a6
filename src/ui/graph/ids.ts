// Graph node ids (the store's `selected` holds one): partition, cpus (the collapsed count node),
// cpu:<NtNumber>, mem:<id>, root (the PnP manager / root bus), dev:<id>, drv:<id>, app:<id>.

export type NodeKind = 'partition' | 'cpus' | 'cpu' | 'memory' | 'root' | 'device' | 'driver' | 'app';

export interface ParsedNodeId {
  kind: NodeKind;
  id: string;
}

export function parseNodeId(nodeId: string | null | undefined): ParsedNodeId | null {
  if (!nodeId) return null;
  if (nodeId === 'partition' || nodeId === 'cpus' || nodeId === 'root') return { kind: nodeId, id: nodeId };
  const colon = nodeId.indexOf(':');
  const prefix = nodeId.slice(0, colon);
  const id = nodeId.slice(colon + 1);
  switch (prefix) {
    case 'cpu':
      return { kind: 'cpu', id };
    case 'mem':
      return { kind: 'memory', id };
    case 'dev':
      return { kind: 'device', id };
    case 'drv':
      return { kind: 'driver', id };
    case 'app':
      return { kind: 'app', id };
    default:
      return null;
  }
}

/** The palette's drag types (the kind is in the MIME type: dragover cannot read the data). */
export const PALETTE_MIME = {
  processor: 'application/x-pnp-processor',
  memory: 'application/x-pnp-memory',
  device: 'application/x-pnp-device',
} as const;

export type PaletteKind = keyof typeof PALETTE_MIME;

export function paletteKindOf(types: readonly string[]): PaletteKind | null {
  for (const [kind, mime] of Object.entries(PALETTE_MIME)) if (types.includes(mime)) return kind as PaletteKind;
  return null;
}
