/**
 * Links from a requirement's `source` (catalogue notation) to where a reviewer can read the rule:
 * `docs:<page>` parts link to that page of the NHS login developer docs; parts citing a PDF
 * specification (EIS, UEV2, PA) or an RFC have no public anchor, so the link's name carries the
 * section and the URL points at the docs site (where the specifications are distributed) or the RFC.
 *
 * @example
 * ```ts
 * specLinks("EIS §3.4.1 T1; docs:single-sign-on")
 * // [{ name: "EIS §3.4.1 T1", url: "https://nhsconnect.github.io/nhslogin/" },
 * //  { name: "docs:single-sign-on", url: "https://nhsconnect.github.io/nhslogin/single-sign-on" }]
 * ```
 */

export const DOCS_SITE = "https://nhsconnect.github.io/nhslogin/";

export interface SpecLink {
  name: string;
  url: string;
}

export function specLinks(source: string): SpecLink[] {
  const links: SpecLink[] = [];
  for (const raw of source.split(";")) {
    const part = raw.trim().replace(/\s+/g, " ");
    if (!part) continue;
    const docs = /^docs:([a-z0-9-]+)(.*)$/i.exec(part);
    if (docs) {
      const page = docs[1]!.toLowerCase();
      links.push({ name: `docs:${page}${docs[2] ?? ""}`.slice(0, 120), url: `${DOCS_SITE}${page}` });
      continue;
    }
    const rfc = /\bRFC ?(\d{3,5})\b/.exec(part);
    if (rfc) {
      links.push({ name: part.slice(0, 120), url: `https://www.rfc-editor.org/rfc/rfc${rfc[1]}` });
      continue;
    }
    links.push({ name: part.slice(0, 120), url: DOCS_SITE });
  }
  return links;
}
