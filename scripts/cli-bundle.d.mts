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
