/**
 * Read one artefact file as UTF-8 text, never throwing and never reading more than `maxBytes`:
 * a missing file, a directory or device, an oversized file or bytes that are not UTF-8 come back
 * as a reason instead.
 *
 * @example
 * ```ts
 * const r = await readCappedFile("/captures/id_token.jwt", 1024 * 1024)
 * if (r.ok) r.text
 * else if (r.missing) skip(r.reason)
 * else fail(r.reason)
 * ```
 */
import { constants } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";

/** The default cap: captured tokens and payloads are a few kilobytes. */
export const MAX_ARTEFACT_BYTES = 1024 * 1024;

export type FileText = { ok: true; text: string; bytes: number } | { ok: false; missing: boolean; reason: string };

export async function readCappedFile(path: string, maxBytes = MAX_ARTEFACT_BYTES): Promise<FileText> {
  const name = basename(path);
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, missing: false, reason: `${name} is not a regular file` };
    if (info.size > maxBytes)
      return { ok: false, missing: false, reason: `${name} is ${info.size} bytes, more than the ${maxBytes} bytes an artefact may have` };
    // O_NONBLOCK: should the file have been swapped for a FIFO since the stat, opening it cannot hang.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(maxBytes + 1);
      let length = 0;
      for (let i = 0; i <= maxBytes && length <= maxBytes; i++) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length > maxBytes) return { ok: false, missing: false, reason: `${name} grew past ${maxBytes} bytes while it was read` };
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, length));
      } catch {
        return { ok: false, missing: false, reason: `${name} is not UTF-8 text` };
      }
      return { ok: true, text: text.replace(/^\uFEFF/, ""), bytes: length };
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, missing: true, reason: `${name} is not in ${dirname(path)}` };
    return { ok: false, missing: false, reason: `${name} cannot be read (${code ?? (err as Error).message})` };
  }
}
