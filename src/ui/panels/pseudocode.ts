// A routine of the scenario as the C it stands for (the Code panel). Each line that comes from an op
// carries the op's JSON pointer, the same pointer the engine writes into `call` and `note` trace
// entries (`op`), so the panel can highlight the op that is running.
//
//   /drivers/sampledrv/routines/DriverEntry/0          → CallbackRegistrationHandle = KeRegisterProcessorChangeCallback(…);
//   /drivers/sampledrv/routines/DriverEntry/1          → if (CallbackRegistrationHandle == NULL) {
//   /drivers/sampledrv/routines/SyncProcessorCallback  → VOID SyncProcessorCallback(PVOID CallbackContext, …)
//
// Pure: no React, no DOM. Memoised per scenario object.
import { APIS, isApiName, type ParamKind } from '../../engine/api.ts';
import type { ApiCallOp, Cond, NormalizedScenario, Op, RoutineBody, Value } from '../../scenario/types.ts';
import { dictOf } from '../../engine/dict.ts';

export interface CodeLine {
  /** The line without indentation. */
  text: string;
  indent: number;
  /** JSON pointer of the op this line stands for (the routine's own pointer for the signature). */
  pointer?: string;
}

export interface RoutineCode {
  component: string;
  routine: string;
  /** `/drivers/<id>/routines/<routine>` or `/apps/<id>/routines/<routine>`. */
  base: string;
  lines: CodeLine[];
}

/** What kind of routine this is, from how the component's code hands it to the system. */
export type RoutineRole =
  | 'DriverEntry'
  | 'Unload'
  | 'irp'
  | 'main'
  | 'processor'
  | 'pnpInterface'
  | 'pnpTarget'
  | 'pnpProfile'
  | 'cm'
  | 'workItem'
  | 'reportComplete'
  | 'threadpool'
  | 'userWorkItem'
  | 'plain';

interface Component {
  kind: 'driver' | 'app';
  routines: Record<string, RoutineBody>;
}

const isCall = (op: Op): op is ApiCallOp => 'call' in op;

/** Every op of a body, depth first (through `if`, `forEach` and switch cases). */
function* allOps(body: RoutineBody | Op[] | undefined): Generator<Op> {
  if (!body) return;
  const lists: Op[][] = Array.isArray(body) ? [body] : [...Object.values(body.cases), ...(body.default ? [body.default] : [])];
  for (const list of lists) {
    for (const op of list) {
      yield op;
      if (isCall(op)) continue;
      if (op.op === 'if') {
        yield* allOps(op.then);
        yield* allOps(op.else);
      } else if (op.op === 'forEach') yield* allOps(op.do);
    }
  }
}


/** Roles of the component's routines, from the registrations and deferrals in its code. */
export function routineRoles(c: Component): Map<string, RoutineRole> {
  const roles = new Map<string, RoutineRole>();
  const mark = (name: unknown, role: RoutineRole) => {
    if (typeof name === 'string' && !roles.has(name)) roles.set(name, role);
  };
  for (const body of Object.values(c.routines)) {
    for (const op of allOps(body)) {
      if (!isCall(op)) continue;
      switch (op.call) {
        case 'KeRegisterProcessorChangeCallback':
          mark(op.CallbackFunction, 'processor');
          break;
        case 'IoRegisterPlugPlayNotification':
          mark(
            op.CallbackRoutine,
            op.EventCategory === 'EventCategoryTargetDeviceChange'
              ? 'pnpTarget'
              : op.EventCategory === 'EventCategoryHardwareProfileChange'
                ? 'pnpProfile'
                : 'pnpInterface',
          );
          break;
        case 'CM_Register_Notification':
          mark(op.pCallback, 'cm');
          break;
        case 'IoQueueWorkItem':
          mark(op.WorkerRoutine, 'workItem');
          break;
        case 'IoReportTargetDeviceChangeAsynchronous':
          mark(op.Callback, 'reportComplete');
          break;
        case 'SubmitThreadpoolWork':
          mark(op.Callback, 'threadpool');
          break;
        case 'QueueUserWorkItem':
          mark(op.Function, 'userWorkItem');
          break;
        default:
          break;
      }
    }
  }
  return roles;
}

function roleOf(c: Component, roles: Map<string, RoutineRole>, routine: string): RoutineRole {
  if (c.kind === 'driver' && routine === 'DriverEntry') return 'DriverEntry';
  if (c.kind === 'driver' && routine === 'Unload') return 'Unload';
  if (c.kind === 'driver' && routine.startsWith('IRP_MN_')) return 'irp';
  if (c.kind === 'app' && routine === 'main') return 'main';
  return roles.get(routine) ?? 'plain';
}

/** The C declaration of a routine of this role; `returns` says what a bare `return` gives back. */
function signature(role: RoutineRole, name: string, kind: 'driver' | 'app'): { head: string; returns: 'void' | 'status' | 'dword' | 'int'; prologue?: string } {
  switch (role) {
    case 'DriverEntry':
      return { head: `NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)`, returns: 'status' };
    case 'Unload':
      return { head: `VOID ${name}(PDRIVER_OBJECT DriverObject)`, returns: 'void' };
    case 'irp':
      return { head: `NTSTATUS ${name}(PDEVICE_OBJECT DeviceObject, PIRP Irp)`, returns: 'status' };
    case 'main':
      return { head: `int main(void)`, returns: 'int' };
    case 'processor':
      return {
        head: `VOID ${name}(PVOID CallbackContext, PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT ChangeContext, PNTSTATUS OperationStatus)`,
        returns: 'void',
      };
    case 'pnpInterface':
      return {
        head: `NTSTATUS ${name}(PVOID NotificationStructure, PVOID Context)`,
        returns: 'status',
        prologue: 'PDEVICE_INTERFACE_CHANGE_NOTIFICATION Notification = NotificationStructure;',
      };
    case 'pnpTarget':
      return {
        head: `NTSTATUS ${name}(PVOID NotificationStructure, PVOID Context)`,
        returns: 'status',
        prologue: 'PTARGET_DEVICE_REMOVAL_NOTIFICATION Notification = NotificationStructure;',
      };
    case 'pnpProfile':
      return {
        head: `NTSTATUS ${name}(PVOID NotificationStructure, PVOID Context)`,
        returns: 'status',
        prologue: 'PHWPROFILE_CHANGE_NOTIFICATION Notification = NotificationStructure;',
      };
    case 'cm':
      return {
        head: `DWORD ${name}(HCMNOTIFICATION hNotify, PVOID Context, CM_NOTIFY_ACTION Action, PCM_NOTIFY_EVENT_DATA EventData, DWORD EventDataSize)`,
        returns: 'dword',
      };
    case 'workItem':
      return { head: `VOID ${name}(PDEVICE_OBJECT DeviceObject, PVOID Context)`, returns: 'void' };
    case 'reportComplete':
      return { head: `VOID ${name}(PVOID Context)`, returns: 'void' };
    case 'threadpool':
      return { head: `VOID CALLBACK ${name}(PTP_CALLBACK_INSTANCE Instance, PVOID Context, PTP_WORK Work)`, returns: 'void' };
    case 'userWorkItem':
      return { head: `DWORD WINAPI ${name}(LPVOID Context)`, returns: 'dword' };
    case 'plain':
      return { head: `VOID ${name}(VOID)`, returns: kind === 'app' ? 'void' : 'void' };
  }
}

/** `$Name` arguments as the C expression that reads them in a routine of this role. */
function argExpr(role: RoutineRole, name: string): string {
  switch (role) {
    case 'processor':
      return name === 'CallbackContext' ? name : `ChangeContext->${name}`;
    case 'pnpInterface':
    case 'pnpTarget':
    case 'pnpProfile':
      if (name === 'Context') return name;
      return `Notification->${name}`;
    case 'cm':
      switch (name) {
        case 'hNotify':
        case 'Context':
        case 'Action':
          return name;
        case 'SymbolicLink':
        case 'ClassGuid':
          return `EventData->u.DeviceInterface.${name}`;
        case 'EventGuid':
        case 'NameOffset':
        case 'Data':
          return `EventData->u.DeviceHandle.${name}`;
        case 'InstanceId':
          return `EventData->u.DeviceInstance.InstanceId`;
        default:
          return `EventData->${name}`;
      }
    default:
      return name;
  }
}

const cString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** CM_NOTIFY_FILTER fields at their place in the C structure. */
const FILTER_PATH: Readonly<Record<string, string>> = dictOf({
  ClassGuid: 'u.DeviceInterface.ClassGuid',
  hTarget: 'u.DeviceHandle.hTarget',
  InstanceId: 'u.DeviceInstance.InstanceId',
});
/** TARGET_DEVICE_CUSTOM_NOTIFICATION fields. */
const NOTIFICATION_PATH: Readonly<Record<string, string>> = dictOf({ CustomData: 'CustomDataBuffer' });

const CONTEXT_PARAMS = new Set(['CallbackContext', 'Context', 'pContext']);

/** Parameter order of the C prototype where it differs from the API table's. */
const C_ORDER: Partial<Record<string, string[]>> = {
  CM_Get_Device_Interface_List: ['InterfaceClassGuid', 'pDeviceID', 'Buffer', 'BufferLen', 'ulFlags'],
  CM_Get_Device_Interface_List_Size: ['pulLen', 'InterfaceClassGuid', 'pDeviceID', 'ulFlags'],
};
/** What an omitted optional parameter reads as in C. */
const C_DEFAULT: Readonly<Record<string, (op: ApiCallOp) => string>> = dictOf({
  DesiredAccess: () => 'FILE_READ_DATA',
  BufferLen: (op) => (typeof op.Buffer === 'string' ? `ARRAYSIZE(${op.Buffer})` : '0'),
});

class Writer {
  readonly lines: CodeLine[] = [];
  constructor(
    private readonly role: RoutineRole,
    private readonly returns: 'void' | 'status' | 'dword' | 'int',
    private readonly kind: 'driver' | 'app',
    /** Variables that hold a pointer (an allocation): passed as Context by value, not by address. */
    private readonly pointers: Set<string>,
  ) {}

  emit(text: string, indent: number, pointer?: string) {
    this.lines.push(pointer === undefined ? { text, indent } : { text, indent, pointer });
  }

  value(v: unknown): string {
    if (v === null || v === undefined) return 'NULL';
    if (v === true) return 'TRUE';
    if (v === false) return 'FALSE';
    if (typeof v === 'number') return String(v);
    if (typeof v === 'string') return v.startsWith('$') ? argExpr(this.role, v.slice(1)) : v;
    return String(v);
  }

  /** A Context argument: a plain variable is passed by address (`&CallbackStatus`) unless it holds a pointer. */
  contextValue(v: unknown): string {
    if (typeof v === 'string' && !v.startsWith('$') && /^[A-Za-z_]\w*$/.test(v) && !/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(v) && !v.startsWith('GUID_')) {
      return this.pointers.has(v) ? v : `&${v}`;
    }
    return this.value(v);
  }

  param(name: string, kind: ParamKind, raw: unknown, present: boolean): string {
    if (!present) {
      return kind === 'flags' || kind === 'number' ? '0' : 'NULL';
    }
    switch (kind) {
      case 'value':
        return CONTEXT_PARAMS.has(name) ? this.contextValue(raw) : this.value(raw);
      case 'instanceId':
        return typeof raw === 'string' && raw.includes('\\') ? cString(raw) : this.value(raw);
      case 'out':
      case 'outOrNull':
      case 'lockVar':
        return raw === null ? 'NULL' : `&${String(raw)}`;
      case 'routine':
      case 'device':
        return raw === null ? 'NULL' : String(raw);
      case 'flags':
        if (Array.isArray(raw)) return raw.length === 0 ? '0' : raw.map((f) => this.value(f)).join(' | ');
        return this.value(raw);
      case 'number':
        return String(raw);
      case 'literal':
        if (name === 'Tag' && typeof raw === 'string') return `'${raw}'`;
        if (Array.isArray(raw)) return `{ ${raw.join(', ')} }`;
        return typeof raw === 'string' ? cString(raw) : this.value(raw);
      case 'filter': {
        const o = (raw ?? {}) as Record<string, unknown>;
        const fields = [`.cbSize = ${o.cbSize === undefined ? 'sizeof(CM_NOTIFY_FILTER)' : String(o.cbSize)}`];
        for (const [k, v] of Object.entries(o)) {
          if (k === 'cbSize') continue;
          const rendered = Array.isArray(v) ? (v.length === 0 ? '0' : v.map((x) => this.value(x)).join(' | ')) : this.value(v);
          fields.push(`.${FILTER_PATH[k] ?? k} = ${rendered}`);
        }
        return `&(CM_NOTIFY_FILTER){ ${fields.join(', ')} }`;
      }
      case 'notification': {
        const o = (raw ?? {}) as Record<string, unknown>;
        const fields: string[] = [];
        let pool = '';
        for (const [k, v] of Object.entries(o)) {
          if (k === 'Pool') {
            pool = ` /* ${String(v)} pool */`;
            continue;
          }
          const rendered = k === 'CustomData' ? this.param('CustomData', 'literal', v, true) : this.value(v);
          fields.push(`.${NOTIFICATION_PATH[k] ?? k} = ${rendered}`);
        }
        return `&(TARGET_DEVICE_CUSTOM_NOTIFICATION){ ${fields.join(', ')} }${pool}`;
      }
    }
  }

  call(op: ApiCallOp): string {
    const api = op.call;
    let args: string[];
    if (api === 'HeapAlloc') args = ['GetProcessHeap()', '0', op.dwBytes === undefined ? 'sizeof(CONTEXT)' : String(op.dwBytes)];
    else if (api === 'HeapFree') args = ['GetProcessHeap()', '0', this.value(op.lpMem)];
    else if (isApiName(api)) {
      const params = APIS[api].params as Record<string, { kind: ParamKind }>;
      args = [];
      for (const name of C_ORDER[api] ?? Object.keys(params)) {
        const kind = params[name].kind;
        const present = Object.hasOwn(op, name);
        if (!present && C_DEFAULT[name]) args.push(C_DEFAULT[name](op));
        // A caller-allocated buffer (PZZWSTR) is passed as itself, not by address.
        else if (name === 'Buffer' && typeof op.Buffer === 'string') args.push(op.Buffer);
        else args.push(this.param(name, kind, op[name], present));
        // The DriverObject parameter is implicit in a scenario: the calling driver (docs/scenario-format.md §3.2).
        if (api === 'IoRegisterPlugPlayNotification' && name === 'EventCategoryData') args.push('DriverObject');
      }
    } else args = [];
    const head = `${api}(${args.join(', ')});`;
    return typeof op.result === 'string' ? `${op.result} = ${head}` : head;
  }

  cond(c: Cond): string {
    if ('isNull' in c) return `${this.value(c.isNull)} == NULL`;
    if ('eq' in c) return `${this.value(c.eq[0])} == ${this.value(c.eq[1])}`;
    if ('ntSuccess' in c) return `NT_SUCCESS(${this.value(c.ntSuccess)})`;
    if ('contains' in c) return `InList(${c.contains[0]}, ${this.value(c.contains[1])})`;
    const inner = c.not;
    if ('isNull' in inner) return `${this.value(inner.isNull)} != NULL`;
    if ('eq' in inner) return `${this.value(inner.eq[0])} != ${this.value(inner.eq[1])}`;
    if ('ntSuccess' in inner) return `!NT_SUCCESS(${this.value(inner.ntSuccess)})`;
    return `!(${this.cond(inner)})`;
  }

  returnText(value: Value | undefined): string {
    if (this.returns === 'void') return 'return;';
    if (value !== undefined) return `return ${this.value(value)};`;
    if (this.returns === 'int') return 'return 0;';
    return this.kind === 'app' ? 'return ERROR_SUCCESS;' : 'return STATUS_SUCCESS;';
  }

  ops(ops: Op[], base: string, indent: number) {
    ops.forEach((op, i) => this.op(op, `${base}/${i}`, indent));
  }

  op(op: Op, at: string, indent: number) {
    if (isCall(op)) return this.emit(this.call(op), indent, at);
    switch (op.op) {
      case 'return':
        return this.emit(this.returnText(op.value), indent, at);
      case 'set':
        // The PNP_DEVICE_STATE flags an IRP_MN_QUERY_PNP_DEVICE_STATE handler reports (RM-11).
        if (op.var === '*PnpDeviceState') return this.emit(`Irp->IoStatus.Information |= ${this.value(op.value)};`, indent, at);
        return this.emit(`${op.var} = ${this.value(op.value)};`, indent, at);
      case 'note':
        for (const line of op.text.split('\n')) this.emit(`// ${line}`, indent, at);
        return;
      case 'if': {
        this.emit(`if (${this.cond(op.cond)}) {`, indent, at);
        this.ops(op.then, `${at}/then`, indent + 1);
        if (op.else && op.else.length > 0) {
          this.emit('} else {', indent);
          this.ops(op.else, `${at}/else`, indent + 1);
        }
        return this.emit('}', indent);
      }
      case 'forEach': {
        const v = op.as;
        this.emit(`for (PWSTR ${v} = ${op.in}; *${v} != L'\\0'; ${v} += wcslen(${v}) + 1) {`, indent, at);
        this.ops(op.do, `${at}/do`, indent + 1);
        return this.emit('}', indent);
      }
    }
  }
}

const endsInReturn = (ops: Op[]) => {
  const last = ops[ops.length - 1];
  return !!last && !isCall(last) && last.op === 'return';
};

function bodyLines(w: Writer, body: RoutineBody, base: string, role: RoutineRole) {
  if (Array.isArray(body)) return w.ops(body, base, 1);
  const { cases } = body;
  const keys = Object.keys(cases);
  if (body.switch === 'Event') {
    // GUIDs are compared, not switched on: the toastmon sample's IsEqualGUID chain.
    const subject = argExpr(role, 'Event');
    keys.forEach((key, k) => {
      w.emit(`${k === 0 ? '' : '} else '}if (IsEqualGUID(&${subject}, &${key})) {`, 1);
      w.ops(cases[key], `${base}/cases/${key}`, 2);
    });
    if (body.default && body.default.length > 0) {
      w.emit(keys.length === 0 ? '{' : '} else {', 1);
      w.ops(body.default, `${base}/default`, 2);
    }
    if (keys.length > 0 || (body.default && body.default.length > 0)) w.emit('}', 1);
    return;
  }
  w.emit(`switch (${argExpr(role, body.switch)}) {`, 1);
  for (const key of keys) {
    w.emit(`case ${key}:`, 1);
    w.ops(cases[key], `${base}/cases/${key}`, 2);
    if (!endsInReturn(cases[key])) w.emit('break;', 2);
  }
  if (body.default) {
    w.emit('default:', 1);
    w.ops(body.default, `${base}/default`, 2);
    if (!endsInReturn(body.default)) w.emit('break;', 2);
  }
  w.emit('}', 1);
}

/** Variables the component assigns from an allocation (ExAllocatePool2, HeapAlloc). */
function pointerVars(c: Component): Set<string> {
  const out = new Set<string>();
  for (const body of Object.values(c.routines)) {
    for (const op of allOps(body)) {
      if (isCall(op) && (op.call === 'ExAllocatePool2' || op.call === 'HeapAlloc') && typeof op.result === 'string') out.add(op.result);
    }
  }
  return out;
}

function build(scenario: NormalizedScenario, component: string, routine: string): RoutineCode | null {
  const isDriver = Object.hasOwn(scenario.drivers, component);
  const isApp = !isDriver && Object.hasOwn(scenario.apps, component);
  if (!isDriver && !isApp) return null;
  const spec = isDriver ? scenario.drivers[component] : scenario.apps[component];
  if (!Object.hasOwn(spec.routines, routine)) return null;
  const c: Component = { kind: isDriver ? 'driver' : 'app', routines: spec.routines };
  const role = roleOf(c, routineRoles(c), routine);
  const sig = signature(role, routine, c.kind);
  const base = `/${isDriver ? 'drivers' : 'apps'}/${component}/routines/${routine}`;
  const w = new Writer(role, sig.returns, c.kind, pointerVars(c));
  if (role === 'irp') w.emit(`// IRP_MJ_PNP / ${routine} handler`, 0);
  w.emit(sig.head, 0, base);
  w.emit('{', 0);
  if (sig.prologue) w.emit(sig.prologue, 1);
  const body = spec.routines[routine];
  bodyLines(w, body, base, role);
  // Falling off the end returns the engine's default (STATUS_SUCCESS / ERROR_SUCCESS): say so.
  if (sig.returns !== 'void' && !(Array.isArray(body) && endsInReturn(body))) w.emit(w.returnText(undefined), 1);
  w.emit('}', 0);
  return { component, routine, base, lines: w.lines };
}

const cache = new WeakMap<NormalizedScenario, Map<string, RoutineCode | null>>();

/** The routine `component!routine` of the scenario as C-like lines (null if the scenario has no such routine). */
export function routineCode(scenario: NormalizedScenario, component: string, routine: string): RoutineCode | null {
  let perScenario = cache.get(scenario);
  if (!perScenario) cache.set(scenario, (perScenario = new Map()));
  const key = `${component}!${routine}`;
  if (!perScenario.has(key)) perScenario.set(key, build(scenario, component, routine));
  return perScenario.get(key)!;
}

/** The line to highlight: the op with this pointer, or −1. */
export function lineOfPointer(code: RoutineCode, pointer: string | null | undefined): number {
  if (!pointer) return -1;
  return code.lines.findIndex((l) => l.pointer === pointer);
}

// ---------------------------------------------------------------- syntax colouring

export type TokenKind = 'keyword' | 'type' | 'constant' | 'comment' | 'string' | 'function' | 'number' | 'plain';
export interface Token {
  text: string;
  kind: TokenKind;
}

const KEYWORDS = new Set(['if', 'else', 'switch', 'case', 'default', 'break', 'return', 'for', 'sizeof', 'void', 'int']);
const TYPES = /^(?:VOID|NTSTATUS|DWORD|PVOID|LPVOID|PWSTR|HCMNOTIFICATION|CM_NOTIFY_ACTION|CM_NOTIFY_FILTER|TARGET_DEVICE_CUSTOM_NOTIFICATION|CALLBACK|WINAPI|P[A-Z][A-Z0-9_]*)$/;
const TOKEN = /(\/\/.*$)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_]\w*)|(-?\d+)|(\s+)|([^\w\s"']+)/g;

/** Split a code line into coloured tokens (a light C lexer, enough for the panel). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const [t, comment, str, word, num] = m;
    let kind: TokenKind = 'plain';
    if (comment) kind = 'comment';
    else if (str) kind = 'string';
    else if (num) kind = 'number';
    else if (word) {
      const next = text[m.index + t.length];
      if (KEYWORDS.has(word)) kind = 'keyword';
      else if (TYPES.test(word)) kind = 'type';
      else if (next === '(') kind = 'function';
      else if (/^[A-Z][A-Z0-9]*_[A-Z0-9_]*$/.test(word) || word === 'NULL' || word === 'TRUE' || word === 'FALSE' || /^Ke\w+Notify$/.test(word)) kind = 'constant';
    }
    const prev = out[out.length - 1];
    if (prev && prev.kind === kind && kind === 'plain') prev.text += t;
    else out.push({ text: t, kind });
  }
  return out;
}
