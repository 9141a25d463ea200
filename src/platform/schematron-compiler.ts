import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CompiledSchematron } from '../formats/ubl/schematron.js';

const require = createRequire(import.meta.url);

/** A validation artefact that cannot be used; names the file and why. */
export class SchematronError extends Error {
  override readonly name = 'SchematronError';
}

function compile(xslt: string, sef: string): Promise<void> {
  const compiler = require.resolve('xslt3/xslt3.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiler, `-xsl:${xslt}`, `-export:${sef}`, '-nogo'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new SchematronError(`${xslt} does not compile: ${stderr.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

/**
 * Loads the official validation XSLTs (*.xsl, *.xslt) of `dir`, compiling each once with SaxonJS's
 * compiler and keeping the result in `cacheDir` by content hash: compiling the Peppol artefacts takes
 * seconds, running them milliseconds.
 */
export async function loadSchematronDir(dir: string, cacheDir: string): Promise<CompiledSchematron[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.xslt?$/i.test(n)).sort();
  } catch (error) {
    throw new SchematronError(`validation.schematronDir ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (names.length === 0) throw new SchematronError(`validation.schematronDir ${dir} holds no .xsl or .xslt file; point it at the folder of the official Peppol/CEN validation XSLTs`);
  await mkdir(cacheDir, { recursive: true });
  const sets: CompiledSchematron[] = [];
  for (const name of names) {
    const source = join(dir, name);
    const digest = createHash('sha256').update(await readFile(source)).digest('hex').slice(0, 32);
    const sef = join(cacheDir, `${digest}.sef.json`);
    const cached = await readFile(sef, 'utf8').catch(() => null);
    if (cached !== null) {
      sets.push({ name, sef: cached });
      continue;
    }
    // Compiled beside the cache entry and renamed, so an interrupted compile never leaves half a file.
    const temp = `${sef}.${process.pid}.tmp`;
    await compile(source, temp);
    await rename(temp, sef);
    sets.push({ name, sef: await readFile(sef, 'utf8') });
  }
  return sets;
}
