/**
 * Find an auto-submitting POST form in a page (the way some services send the authorization
 * request, EIS §3.4.1 "HTTP POST"): the first `<form method="post">` with an action, and its
 * hidden fields, read with the HTML parser of html-page.ts.
 *
 * @example
 * ```ts
 * findAutoSubmitForm('<form method="post" action="/authorize"><input type="hidden" name="state" value="x"></form>', base)
 * // { action: URL(".../authorize"), fields: { state: "x" } }
 * ```
 */
import { load } from "cheerio";

export interface AutoSubmitForm {
  action: URL;
  fields: Record<string, string>;
}

export function findAutoSubmitForm(html: string, base: URL): AutoSubmitForm | undefined {
  const $ = load(html);
  const form = $("form").first();
  if (form.length === 0 || (form.attr("method") ?? "get").toLowerCase() !== "post" || form.attr("action") === undefined) return undefined;
  let action: URL;
  try {
    action = new URL(form.attr("action")!, base);
  } catch {
    return undefined;
  }
  const fields: Record<string, string> = {};
  form.find("input[name]").each((_, input) => {
    const i = $(input);
    if ((i.attr("type") ?? "text").toLowerCase() === "hidden") fields[i.attr("name")!] = i.attr("value") ?? "";
  });
  return { action, fields };
}
