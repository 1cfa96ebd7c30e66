/**
 * Internal: split a Users V2 filter into words and quoted strings. The layout is strict, as in the
 * grammar: tokens are separated by exactly one ASCII space, with nothing before the first or after
 * the last. Anything else (tabs, doubled spaces, curly quotes, brackets, an unclosed quote, control
 * characters) is a syntax error. Only the parser imports this.
 */
import { FilterError } from "../../errors/index.ts";
import { FILTER_ERROR_TEXTS } from "./table-10.ts";

export type Token = { kind: "word"; text: string; start: number } | { kind: "string"; value: string; start: number };

/** Characters of an unquoted word: attribute paths (with URN prefixes and dots) and operators. */
const WORD_CHAR = /[A-Za-z0-9._:$-]/;
/** C0 controls and DEL are not allowed anywhere, not even inside quotes (SCIM values are JSON strings). */
const CONTROL = /[\u0000-\u001f\u007f]/;

export function syntaxError(): FilterError {
  return new FilterError(FILTER_ERROR_TEXTS.invalidSyntax);
}

export function tokenize(text: string): Token[] {
  if (text.length === 0 || CONTROL.test(text)) throw syntaxError();
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    const c = text[i]!;
    if (c === '"') {
      // No escapes: a value runs to the next double quote. A backslash is an ordinary character.
      const close = text.indexOf('"', i + 1);
      if (close < 0) throw syntaxError();
      tokens.push({ kind: "string", value: text.slice(i + 1, close), start: i });
      i = close + 1;
    } else if (WORD_CHAR.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_CHAR.test(text[j]!)) j++;
      tokens.push({ kind: "word", text: text.slice(i, j), start: i });
      i = j;
    } else {
      throw syntaxError();
    }
    if (i === text.length) return tokens;
    // Exactly one space between tokens, and never a trailing one.
    if (text[i] !== " " || i + 1 === text.length) throw syntaxError();
    i += 1;
  }
}
