import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { BillitClient } from '../../billit/client.js';
import { resolveInside } from '../../export/layout.js';
import type { DossierRow } from '../../ledger/dossier-repository.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { OutboxUploadRow } from '../../ledger/outbox-repository.js';
import { isNotFound, type FileSystem } from '../../platform/fs/file-system.js';
import {
  FAILED_FOLDER, MAX_OUTBOX_FILE_BYTES, OUTBOX_FOLDER, SENT_FOLDER,
  brusselsStamp, classifyOutboxFile, isOutboxDocumentName, moveWithoutOverwrite, reasonText, tooLargeReason, writeReason,
} from './outbox-files.js';
import type { Emit } from './watch-support.js';

export interface OutboxUploaderOptions {
  /** The export root, absolute and resolved (the watcher's paths start with it). */
  exportRoot: string;
  ledger: Ledger;
  client: Pick<BillitClient, 'uploadToProcess'>;
  emit: Emit;
  fs: FileSystem;
  /** The clock for reason files and messages. */
  now: () => Date;
}

/** Alphanumeric, as Billit asks of an idempotency key; 128 random bits. */
const newIdempotencyKey = (): string => randomBytes(16).toString('hex');

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** What a file looked like when it was read, to notice a change before it is moved away. */
interface Seen { size: number; mtimeMs: number }

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Sends one file from a dossier's Outbox/ to that dossier's Billit fast input and moves it on
 * (product.md §8). The content decides "already sent?": a file whose SHA-256 the ledger has as
 * sent for this dossier is moved to sent/ without a second upload, whatever its name.
 *
 * Contract: handle() is called for one file at a time (the Outbox watcher's serial queue), never
 * concurrently, so the check-then-upload-then-record sequence cannot race with itself.
 */
export class OutboxUploader {
  readonly #options: OutboxUploaderOptions;
  readonly #unknownFolders = new Set<string>();

  constructor(options: OutboxUploaderOptions) {
    this.#options = options;
  }

  /**
   * Creates `Outbox/` in each known dossier's folder that exists, so the accountant sees where to
   * drop files. Dossier folders themselves are never created here (an unmounted share or a dossier
   * that has exported nothing yet must not get a fresh tree). Returns how many were created.
   */
  async ensureOutboxFolders(onlyFolder?: string): Promise<number> {
    const { ledger, fs, exportRoot } = this.#options;
    let created = 0;
    const dossiers = onlyFolder === undefined ? ledger.dossiers.list() : [this.#dossierFor(onlyFolder)].filter((d) => d !== null);
    for (const dossier of dossiers) {
      let folder: string;
      try {
        folder = resolveInside(exportRoot, dossier.folder);
        if (!(await fs.stat(folder)).isDirectory()) continue;
      } catch {
        continue;
      }
      try {
        await fs.mkdir(join(folder, OUTBOX_FOLDER));
        created += 1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          this.#options.emit({ type: 'outbox-folder-failed', level: 'warn', dossierPartyId: dossier.partyId, message: `could not create ${join(folder, OUTBOX_FOLDER)}: ${message(error)}` });
        }
      }
    }
    return created;
  }

  /** The dossier whose folder (under the export root) is `folder`; Windows folder names ignore case. */
  #dossierFor(folder: string): DossierRow | null {
    const { ledger } = this.#options;
    const exact = ledger.dossiers.byFolder(folder);
    if (exact !== null) return exact;
    const lower = folder.toLowerCase();
    return ledger.dossiers.list().find((d) => d.folder.toLowerCase() === lower) ?? null;
  }

  /** Handles `<root>/<dossier folder>/Outbox/<name>`; anything else is ignored. Never throws for a vanished file. */
  async handle(filePath: string): Promise<void> {
    const { exportRoot, fs, ledger, emit } = this.#options;
    const parts = relative(exportRoot, filePath).split(sep);
    if (parts.length !== 3 || parts[1]!.toLowerCase() !== OUTBOX_FOLDER.toLowerCase() || !isOutboxDocumentName(parts[2]!)) return;
    const [folder, , name] = parts as [string, string, string];
    const dossier = this.#dossierFor(folder);
    if (dossier === null) {
      if (!this.#unknownFolders.has(folder)) {
        this.#unknownFolders.add(folder);
        emit({ type: 'outbox-unknown-dossier', level: 'warn', message: `${name} is in the Outbox of ${folder}, which is not the folder of a known dossier; it was left there`, data: { path: filePath } });
      }
      return;
    }

    let seen: Seen;
    try {
      const stats = await fs.stat(filePath);
      if (!stats.isFile()) return;
      seen = { size: stats.size, mtimeMs: stats.mtimeMs };
    } catch (error) {
      if (isNotFound(error)) return this.#vanished(dossier, name, filePath);
      throw error;
    }

    let bytes: Buffer | null = null;
    let digest: string;
    try {
      // A file too large to send is hashed as a stream rather than read whole into memory.
      if (seen.size > MAX_OUTBOX_FILE_BYTES) digest = await sha256OfFile(filePath);
      else {
        bytes = await fs.readFile(filePath);
        digest = sha256(bytes);
      }
    } catch (error) {
      if (isNotFound(error)) return this.#vanished(dossier, name, filePath);
      throw error;
    }

    const known = ledger.outbox.find(dossier.partyId, digest);
    if (known !== null && known.state === 'sent') return this.#alreadySent(dossier, name, filePath, seen, known);

    const classified = bytes === null ? { ok: false as const, reason: tooLargeReason(seen.size) } : classifyOutboxFile(bytes);
    const input = { dossierPartyId: dossier.partyId, fileName: name, sha256: digest, size: bytes?.length ?? seen.size, newIdempotencyKey: newIdempotencyKey() };
    if (!classified.ok) {
      // Recorded too, so the ledger can answer "what happened to the file I dropped?".
      const row = ledger.transaction(() => ledger.outbox.markFailed(ledger.outbox.start(input).id, classified.reason));
      return this.#failed(dossier, name, filePath, seen, row, classified.reason, 'no upload was attempted');
    }

    // The row and its key are durable before the call: a crash during the upload resumes with the same key.
    const row = ledger.outbox.start(input);
    if (row.state === 'sent') return this.#alreadySent(dossier, name, filePath, seen, row);
    let result: { uploadId: number | null; duplicate: boolean };
    try {
      result = await this.#options.client.uploadToProcess(dossier.partyId, { fileName: name, bytes: bytes!, mimeType: classified.type.mimeType }, row.idempotencyKey);
    } catch (error) {
      const failed = ledger.outbox.markFailed(row.id, message(error));
      return this.#failed(dossier, name, filePath, seen, failed, message(error), 'the upload failed');
    }
    const sent = ledger.outbox.markSent(row.id, result.uploadId);
    const moved = await this.#moveOrReport(dossier, name, filePath, seen, SENT_FOLDER);
    emit({
      type: 'outbox-sent', level: 'info', dossierPartyId: dossier.partyId,
      message: `${name} was sent to the Billit fast input of ${dossier.name}${result.duplicate ? ' (Billit already had it from an earlier, interrupted attempt)' : ` (upload ${result.uploadId ?? '?'})`}`
        + `${moved === null ? '' : `; moved to ${OUTBOX_FOLDER}/${SENT_FOLDER}/${basename(moved)}`}`,
      data: { outboxId: sent.id, uploadId: result.uploadId, duplicate: result.duplicate, sha256: digest, path: moved ?? filePath },
    });
  }

  #vanished(dossier: DossierRow, name: string, filePath: string): void {
    this.#options.emit({
      type: 'outbox-vanished', level: 'info', dossierPartyId: dossier.partyId,
      message: `${name} left the Outbox of ${dossier.name} before billsync could read it; nothing was sent`, data: { path: filePath },
    });
  }

  async #alreadySent(dossier: DossierRow, name: string, filePath: string, seen: Seen, row: OutboxUploadRow): Promise<void> {
    const moved = await this.#moveOrReport(dossier, name, filePath, seen, SENT_FOLDER);
    this.#options.emit({
      type: 'outbox-already-sent', level: 'info', dossierPartyId: dossier.partyId,
      message: `${name} was already sent to Billit on ${brusselsStamp(new Date(row.updatedAt))} (as ${row.fileName}); it was not sent again`
        + `${moved === null ? '' : ` and was moved to ${OUTBOX_FOLDER}/${SENT_FOLDER}/${basename(moved)}`}`,
      data: { outboxId: row.id, uploadId: row.uploadId, sentAt: row.updatedAt, sha256: row.sha256, path: moved ?? filePath },
    });
  }

  async #failed(dossier: DossierRow, name: string, filePath: string, seen: Seen, row: OutboxUploadRow, reason: string, what: string): Promise<void> {
    const moved = await this.#moveOrReport(dossier, name, filePath, seen, FAILED_FOLDER);
    if (moved !== null) {
      try {
        await writeReason(this.#options.fs, moved, reasonText({
          fileName: name, dossierName: dossier.name, dossierPartyId: dossier.partyId, at: this.#options.now(), reason, sha256: row.sha256,
        }));
      } catch (error) {
        this.#options.emit({ type: 'outbox-move-failed', level: 'error', dossierPartyId: dossier.partyId, message: `could not write the reason file beside ${moved}: ${message(error)}` });
      }
    }
    this.#options.emit({
      type: 'outbox-failed', level: 'error', dossierPartyId: dossier.partyId,
      message: `${name} (${dossier.name}) was not sent to Billit, ${what}: ${reason}`
        + `${moved === null ? '' : `; moved to ${OUTBOX_FOLDER}/${FAILED_FOLDER}/${basename(moved)} with the reason beside it`}`,
      data: { outboxId: row.id, reason, sha256: row.sha256, path: moved ?? filePath },
    });
  }

  /**
   * Moves the file into Outbox/<sub>/. Returns null when it cannot: silently when the file is gone
   * (someone took it back), with an 'outbox-move-failed' event otherwise (e.g. a program holds it
   * open); the ledger already knows the outcome, so the next look at the file moves it on.
   * A file that changed since it was read stays: its new content was not what was sent, and
   * chokidar reports the change, so it is handled again.
   */
  async #moveOrReport(dossier: DossierRow, name: string, filePath: string, seen: Seen, sub: string): Promise<string | null> {
    try {
      const now = await this.#options.fs.stat(filePath);
      if (now.size !== seen.size || now.mtimeMs !== seen.mtimeMs) {
        this.#options.emit({
          type: 'outbox-changed', level: 'info', dossierPartyId: dossier.partyId,
          message: `${name} changed while billsync was handling it; it stays in the Outbox and is looked at again`, data: { path: filePath },
        });
        return null;
      }
      return await moveWithoutOverwrite(this.#options.fs, filePath, join(dirname(filePath), sub), name, sub === FAILED_FOLDER);
    } catch (error) {
      if (isNotFound(error)) return null;
      this.#options.emit({
        type: 'outbox-move-failed', level: 'error', dossierPartyId: dossier.partyId,
        message: `${name} could not be moved to ${OUTBOX_FOLDER}/${sub}/ (${message(error)}); it stays in the Outbox`, data: { path: filePath },
      });
      return null;
    }
  }
}
