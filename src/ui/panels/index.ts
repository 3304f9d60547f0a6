// The panels the page shell renders with PanelProps (types.ts).
export type { PanelProps } from './types.ts';
export { ThreadsPanel } from './ThreadsPanel.tsx';
export { TracePanel } from './TracePanel.tsx';
export { SequencePanel } from './SequencePanel.tsx';
export { ExplanationPanel } from './ExplanationPanel.tsx';
export { CodePanel } from './CodePanel.tsx';
export { HazardOverlay, type HazardOverlayProps } from './HazardOverlay.tsx';
