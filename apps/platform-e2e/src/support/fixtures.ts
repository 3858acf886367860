import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** `apps/platform-e2e/fixtures/<name>`. */
export const fixturePath = (...parts: string[]): string => resolve(__dirname, '..', '..', 'fixtures', ...parts);

/** A fixture folder copied to a temporary one, with placeholders (e.g. a local server's URL) filled in. */
export class FixtureCopy {
  readonly dir: string;

  constructor(name: string, replacements: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), `switchboard-e2e-${name}-`));
    cpSync(fixturePath(name), this.dir, { recursive: true });
    for (const file of filesUnder(this.dir)) {
      const text = readFileSync(file, 'utf8');
      const filled = Object.entries(replacements).reduce((t, [placeholder, value]) => t.split(placeholder).join(value), text);
      if (filled !== text) writeFileSync(file, filled);
    }
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
