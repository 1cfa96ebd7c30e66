/**
 * SERVICE_BROWSER_STEPS: a JSON file of the steps that start a sign-in in browser mode, for a
 * journey that needs more than one click (a cookie banner, a "Continue" page, a form to fill).
 * In the spirit of the OpenID Foundation conformance suite's browser tasks: steps run in order on
 * the start page; each may first wait for the page's URL to match `url`, then does its actions
 * (`click`, `fill`, `wait-for-url`, `wait-for-text`), each bounded by the step's `timeoutMs`
 * (default 5,000). A target is an ARIA `role` (with its accessible `name`), visible `text`, or a
 * `css` selector. The file is validated against {@link BROWSER_STEPS_SCHEMA} when it is read.
 *
 * @example
 * ```json
 * { "steps": [
 *   { "name": "cookies", "actions": [{ "click": { "role": "button", "name": "Accept cookies" } }] },
 *   { "url": "/start", "actions": [{ "click": { "text": "Continue with NHS login" } }, { "wait-for-url": "/authorize" }] }
 * ] }
 * ```
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";

export interface StepTarget {
  role?: string;
  name?: string;
  text?: string;
  css?: string;
}

export type StepAction =
  | { click: StepTarget }
  | { fill: StepTarget & { value: string } }
  | { "wait-for-url": string }
  | { "wait-for-text": string };

export interface BrowserStep {
  name?: string;
  url?: string;
  timeoutMs?: number;
  actions: StepAction[];
}

export interface BrowserSteps {
  steps: BrowserStep[];
}

const NON_EMPTY = { type: "string", minLength: 1 } as const;
/** What a click or fill acts on: an ARIA role (with its accessible name), visible text, or a CSS selector. */
const TARGET_PROPERTIES = { role: NON_EMPTY, name: NON_EMPTY, text: NON_EMPTY, css: NON_EMPTY } as const;
/** Exactly one way of naming the target. */
const ONE_TARGET = [{ required: ["role"] }, { required: ["text"] }, { required: ["css"] }] as const;

/** The JSON Schema (draft 2020-12) a steps file must satisfy. */
export const BROWSER_STEPS_SCHEMA = {
  title: "Browser steps (SERVICE_BROWSER_STEPS)",
  description:
    "How browser mode starts a sign-in that needs more than one click: steps run in order on the start page; " +
    "each may first wait for the page's URL to match `url`, then does its actions, each within the step's timeout.",
  type: "object",
  required: ["steps"],
  additionalProperties: false,
  properties: {
    steps: {
      type: "array",
      minItems: 1,
      maxItems: 50,
      items: {
        $ref: "#/$defs/step",
      },
    },
  },
  $defs: {
    step: {
      type: "object",
      required: ["actions"],
      additionalProperties: false,
      properties: {
        name: {
          type: "string",
          minLength: 1,
          description: "Shown in messages; default: step <n>.",
        },
        url: {
          $ref: "#/$defs/url-pattern",
          description: "Wait until the page's URL matches before the actions.",
        },
        timeoutMs: {
          type: "integer",
          minimum: 100,
          maximum: 120000,
        },
        actions: {
          type: "array",
          minItems: 1,
          items: {
            $ref: "#/$defs/action",
          },
        },
      },
    },
    "url-pattern": {
      description: "Text the URL contains, or a regular expression written /source/flags.",
      type: "string",
      minLength: 1,
    },
    target: {
      description:
        "What to act on: an ARIA role (with its accessible name), visible text, or a CSS selector: exactly one of role, text and css.",
      type: "object",
      additionalProperties: false,
      properties: TARGET_PROPERTIES,
      oneOf: ONE_TARGET,
    },
    action: {
      description: "One action: exactly one of click, fill, wait-for-url, wait-for-text.",
      type: "object",
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: {
        click: {
          $ref: "#/$defs/target",
        },
        fill: {
          $ref: "#/$defs/target-with-value",
        },
        "wait-for-url": {
          $ref: "#/$defs/url-pattern",
        },
        "wait-for-text": {
          type: "string",
          minLength: 1,
        },
      },
    },
    "target-with-value": {
      description: "A field to fill: as a target, with the value to type.",
      type: "object",
      required: ["value"],
      additionalProperties: false,
      properties: { ...TARGET_PROPERTIES, value: { type: "string" } },
      oneOf: ONE_TARGET,
    },
  },
} as const;

const validate = new Ajv2020({ strict: true, strictRequired: false, allErrors: true }).compile(BROWSER_STEPS_SCHEMA);

/** Read and validate a steps file; throws an Error saying what is wrong and where (for the config's message). */
export function readBrowserSteps(path: string): BrowserSteps {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`not a JSON file (${(err as Error).message})`);
  }
  if (!validate(data)) {
    // The branches of a oneOf each report an error; the oneOf's own says what was meant.
    const errors = validate.errors ?? [];
    const e = errors.find((x) => x.keyword === "oneOf") ?? errors[0];
    throw new Error(`${e?.instancePath || "the file"} ${e?.message ?? "is not valid"}`);
  }
  return data as BrowserSteps;
}

/** A URL pattern (text the URL contains, or /source/flags) as a test on URLs. */
export function urlMatcher(pattern: string): (url: URL) => boolean {
  const re = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (re) {
    // g and y would make test() remember where it stopped: a URL test must not depend on the last one.
    const r = new RegExp(re[1]!, re[2]!.replace(/[gy]/g, ""));
    return (url) => r.test(url.href);
  }
  return (url) => url.href.includes(pattern);
}
