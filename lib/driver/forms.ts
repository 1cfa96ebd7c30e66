/**
 * Find an auto-submitting POST form in a page (the way some services send the authorization
 * request, EIS §3.4.1 "HTTP POST"): the first `<form method="post">` and its hidden fields.
 * A deliberately small parser: attributes in single or double quotes, entities `&amp; &quot;
 * &#39; &lt; &gt;` decoded. Bounded by the page size the HTTP client accepts.
 *
 * @example
 * ```ts
 * findAutoSubmitForm('<form method="post" action="/authorize"><input type="hidden" name="state" value="x"></form>', base)
 * // { action: URL(".../authorize"), fields: { state: "x" } }
 * ```
 */

export interface AutoSubmitForm {
  action: URL;
  fields: Record<string, string>;
}

const FORM = /<form\b([^>]*)>([\s\S]*?)<\/form>/i;
const INPUT = /<input\b([^>]*)>/gi;

export function findAutoSubmitForm(html: string, base: URL): AutoSubmitForm | undefined {
  const form = FORM.exec(html);
  if (!form) return undefined;
  const attrs = attributes(form[1]!);
  if ((attrs.method ?? "get").toLowerCase() !== "post" || attrs.action === undefined) return undefined;
  let action: URL;
  try {
    action = new URL(attrs.action, base);
  } catch {
    return undefined;
  }
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(INPUT)) {
    const a = attributes(input[1]!);
    if ((a.type ?? "text").toLowerCase() === "hidden" && a.name !== undefined) fields[a.name] = a.value ?? "";
  }
  return { action, fields };
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    out[m[1]!.toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

function decode(value: string): string {
  return value.replace(/&(amp|quot|#39|lt|gt);/g, (_, e: string) => ({ amp: "&", quot: '"', "#39": "'", lt: "<", gt: ">" })[e]!);
}
