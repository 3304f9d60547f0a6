// Empty lists that will hold objects or strings (threads' stacks and frames, registrations' threads
// in flight, the explorer's summaries).
//
// V8 gives each array a kind of element: an array literal `[]` starts as a list of small integers,
// and the first object or string put in changes its kind. An optimised `push` that has met both
// kinds at one place compiles a branch for each, and the small-integer branch checks that the value
// is one: the first object pushed onto a fresh `[]` there throws the optimised function away
// ("not a Smi"), to be compiled again — for the engine's largest routines, once per thread that runs
// them (docs/explore.md "Compiled once"). A list made by `list()` holds any value from the start.
const ANY: unknown[] = [null];

/** A new empty array whose elements may be any value (see above). */
export const list = <T>(): T[] => ANY.slice(0, 0) as T[];
