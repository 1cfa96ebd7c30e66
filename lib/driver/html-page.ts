/**
 * What a browser sees on an HTML page, read with a real HTML parser (cheerio): the title, the
 * visible text, the links and the forms, with their targets resolved against the page URL.
 *
 * @example
 * ```ts
 * const page = readPage('<title>Home</title><a href="/login">Sign in</a>', new URL("http://127.0.0.1:8080/"))
 * page.title              // "Home"
 * page.links[0].url.href  // "http://127.0.0.1:8080/login"
 * ```
 */
import { load } from "cheerio";

export interface PageLink {
  /** The link's text, whitespace collapsed. */
  text: string;
  url: URL;
}

export interface PageForm {
  method: "GET" | "POST";
  action: URL;
  /** Named fields with their values (inputs other than buttons, checkboxes unchecked left out). */
  fields: Record<string, string>;
  /** The text of its submit buttons. */
  buttons: string[];
}

export interface HtmlPage {
  title?: string;
  /** The text a user reads (scripts and styles left out), whitespace collapsed. */
  text: string;
  links: PageLink[];
  forms: PageForm[];
  /**
   * The links and forms matching a CSS selector (an element inside a link or form counts for it),
   * or undefined when `selector` is not a valid CSS selector.
   */
  select(selector: string): { links: PageLink[]; forms: PageForm[] } | undefined;
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

/** Elements a browser shows apart from the text around them (their texts never run together). */
const BLOCKS =
  "address, article, aside, blockquote, br, caption, dd, details, div, dl, dt, fieldset, figcaption, figure, footer, form, " +
  "h1, h2, h3, h4, h5, h6, header, hr, li, main, nav, ol, p, pre, section, summary, table, td, th, tr, ul";

function resolve(value: string | undefined, base: URL): URL | undefined {
  try {
    return new URL(value ?? "", base);
  } catch {
    return undefined;
  }
}

export function readPage(html: string, base: URL): HtmlPage {
  const $ = load(html);
  $(BLOCKS).before(" ").after(" ");
  const linkOf = (el: Parameters<typeof $>[0]): PageLink | undefined => {
    const href = $(el).attr("href");
    const url = href === undefined ? undefined : resolve(href, base);
    return url && (url.protocol === "http:" || url.protocol === "https:") ? { text: collapse($(el).text()), url } : undefined;
  };
  const formOf = (el: Parameters<typeof $>[0]): PageForm | undefined => {
    const f = $(el);
    const action = resolve(f.attr("action"), base);
    if (!action) return undefined;
    const fields: Record<string, string> = {};
    f.find("input[name], select[name], textarea[name]").each((_, input) => {
      const i = $(input);
      const type = (i.attr("type") ?? "text").toLowerCase();
      if (["submit", "button", "image", "reset", "file"].includes(type)) return;
      if ((type === "checkbox" || type === "radio") && i.attr("checked") === undefined) return;
      const name = i.attr("name")!;
      if (Object.hasOwn(fields, name)) return;
      if (input.tagName === "select") {
        // The selected option, else the first; an option without a value sends its text.
        const selected = i.find("option[selected]");
        const option = selected.length > 0 ? selected.first() : i.find("option").first();
        fields[name] = option.is("[value]") ? option.attr("value")! : collapse(option.text());
      } else fields[name] = i.attr("value") ?? i.text();
    });
    const buttons = f
      .find("button, input[type=submit]")
      .filter((_, b) => b.tagName !== "button" || ($(b).attr("type") ?? "submit").toLowerCase() === "submit")
      .map((_, b) => collapse($(b).text() || ($(b).attr("value") ?? "")))
      .get();
    return { method: (f.attr("method") ?? "get").toLowerCase() === "post" ? "POST" : "GET", action, fields, buttons };
  };
  const links = $("a[href]")
    .map((_, a) => linkOf(a))
    .get()
    .filter((l): l is PageLink => l !== undefined);
  const forms = $("form")
    .map((_, f) => formOf(f))
    .get()
    .filter((f): f is PageForm => f !== undefined);
  const title = collapse($("title").first().text());
  $("script, style, noscript, template").remove();
  return {
    ...(title ? { title } : {}),
    text: collapse($("body").length > 0 ? $("body").text() : $.root().text()),
    links,
    forms,
    select(selector) {
      let found: ReturnType<typeof $>;
      try {
        found = $(selector);
      } catch {
        return undefined;
      }
      const anchors = found.map((_, el) => $(el).closest("a[href]").get(0)).get();
      const owners = found.map((_, el) => $(el).closest("form").get(0)).get();
      return {
        links: anchors.map((a) => linkOf(a)).filter((l): l is PageLink => l !== undefined),
        forms: owners.map((f) => formOf(f)).filter((f): f is PageForm => f !== undefined),
      };
    },
  };
}
