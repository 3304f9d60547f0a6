// Build the command-line tools into dist-cli/ (see cli-bundle.mjs). npm runs this as `prepare`.
import { buildCli } from './cli-bundle.mjs';

await buildCli();
