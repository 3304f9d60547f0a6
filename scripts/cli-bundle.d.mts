// Types of cli-bundle.mjs (for the tests that import it).
export declare const ROOT: string;
export declare const OUT_DIR: string;
export declare const BUNDLE: string;
export declare const MANIFEST: string;
export interface CliManifest {
  version: number;
  /** [path, size, mtimeMs] of every file that went into the bundle. */
  inputs: [string, number, number][];
}
export declare function isStale(manifestPath?: string, bundlePath?: string): boolean;
export declare function manifestOf(inputs: readonly string[]): CliManifest;
export declare function buildCli(): Promise<void>;
export declare const CODE_CACHE_DIR: string;
export declare function codeCachePath(command: string | undefined, bundlePath?: string, cacheDir?: string): string;
export declare function runBundle(argv?: readonly string[], bundlePath?: string, cacheDir?: string): void;
