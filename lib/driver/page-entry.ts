/**
 * Private helpers of sign-in-entry.ts and sign-out-entry.ts: a link or form of a page as the
 * request a browser makes when a person follows it, with a description for messages.
 */
import type { PageForm, PageLink } from "./html-page.ts";

/** A request a person makes by following a link or submitting a form of a page. */
export interface PageEntry {
  method: "GET" | "POST";
  url: URL;
  /** The form body, for a POST. */
  form?: Record<string, string>;
  /** What was followed, for messages: the link or form and where it goes. */
  how: string;
}

/** A URL as messages show it: the path and the first 60 characters of the query. */
export const shortUrl = (url: URL) => `${url.pathname}${url.search.length > 60 ? `${url.search.slice(0, 60)}…` : url.search}`;

/** Following link `l`; `why` starts the description ("followed"). */
export function fromLink(l: PageLink, why: string): PageEntry {
  return { method: "GET", url: l.url, how: `${why} the link ${JSON.stringify(l.text)} to ${shortUrl(l.url)}` };
}

/** Submitting form `f` with its fields as they are; `why` starts the description ("submitted"). */
export function fromForm(f: PageForm, why: string): PageEntry {
  const label = f.buttons[0] ? ` (button ${JSON.stringify(f.buttons[0])})` : "";
  if (f.method === "POST")
    return { method: "POST", url: f.action, form: f.fields, how: `${why} the POST form${label} to ${f.action.pathname}` };
  // A browser replaces the action's query with the form's fields.
  const url = new URL(f.action);
  url.search = "";
  for (const [k, v] of Object.entries(f.fields)) url.searchParams.set(k, v);
  return { method: "GET", url, how: `${why} the GET form${label} to ${f.action.pathname}` };
}
